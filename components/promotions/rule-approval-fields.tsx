"use client";

import type { UseFormReturn } from "react-hook-form";
import type { Role } from "@/server/access/permissions";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { errorText, smallLabel } from "./rule-field-styles";
import type { Member, RuleFormValues } from "./rule-form";

const ROLE_CHOICES: { value: Role; label: string }[] = [
  { value: "owner", label: "Owners" },
  { value: "maintainer", label: "Maintainers" },
  { value: "contributor", label: "Contributors" },
  { value: "viewer", label: "Viewers" },
];

/** Who approves under a rule and how many approvals it takes: roles that may review, members by name, and the two exceptions. */
export function RuleApprovalFields({ form, reviewerRoles, reviewers }: { form: UseFormReturn<RuleFormValues>; reviewerRoles: Role[]; reviewers: Member[] }) {
  const errors = form.formState.errors;
  return (
    <>
      <Field label="Approvals required" error={errors.requiredApprovals?.message}>
        <Input type="number" min={1} max={10} inputMode="numeric" className="w-24" {...form.register("requiredApprovals")} />
      </Field>

      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">Who may approve</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {ROLE_CHOICES.filter((r) => reviewerRoles.includes(r.value)).map((r) => (
            <label key={r.value} className="inline-flex items-center gap-2 text-sm">
              <input type="checkbox" value={r.value} className="size-4 accent-brand-600" {...form.register("approverRoles")} />
              {r.label}
            </label>
          ))}
        </div>
        {errors.approverRoles && (
          <p role="alert" className={errorText}>
            {errors.approverRoles.message}
          </p>
        )}
        {reviewers.length > 0 && (
          <div className="mt-3">
            <p className={smallLabel}>Or these members by name (each must hold a role that may review)</p>
            <div className="max-h-36 space-y-1 overflow-y-auto rounded-md border border-stone-200 p-2 dark:border-stone-700">
              {reviewers.map((m) => (
                <label key={m.userId} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-stone-50 dark:hover:bg-stone-800">
                  <input type="checkbox" value={m.userId} className="size-4 accent-brand-600" {...form.register("approverUserIds")} />
                  <span className="min-w-0 flex-1 truncate">
                    {m.name} <span className="text-xs text-stone-500">{m.email}</span>
                  </span>
                  <span className="text-xs text-stone-400">{m.role}</span>
                </label>
              ))}
            </div>
            {errors.approverUserIds && (
              <p role="alert" className={errorText}>
                {errors.approverUserIds.message}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <div className="space-y-2">
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-0.5 size-4 accent-brand-600" {...form.register("allowSelfApproval")} />
          <span>
            Allow self-approval
            <span className="block text-xs text-stone-500 dark:text-stone-400">The requester's own approval counts.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-0.5 size-4 accent-brand-600" {...form.register("allowEmergencyRollback")} />
          <span>
            Allow emergency rollback
            <span className="block text-xs text-stone-500 dark:text-stone-400">
              A rollback applies at once (recorded as a request) instead of waiting for approvals.
            </span>
          </span>
        </label>
      </div>
    </>
  );
}
