"use client";

import { useMutation } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm, type Path } from "react-hook-form";
import { toast } from "sonner";
import type { Role } from "@/server/access/permissions";
import { HELD_STAGES, targetText } from "../registry/format";
import { applyServerErrors } from "../registry/server-errors";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";
import { MenuContent, MenuItem, MenuRoot, MenuTrigger } from "../ui/menu";
import { useOnOpen } from "../ui/use-on-open";
import { gateName } from "./gates-list";
import type { Gate, RuleRow } from "./types";

type GateType = Gate["type"];
type GateValues = {
  type: GateType;
  metric: string;
  comparison: string;
  value: string;
  passWithoutHolder: boolean;
  tag: string;
  tagValue: string;
  on: "version" | "run";
};
type Values = {
  targetKind: "stage" | "alias" | "tag";
  stage: string;
  targetName: string;
  modelName: string;
  requiredApprovals: string;
  approverRoles: Role[];
  approverUserIds: string[];
  allowSelfApproval: boolean;
  allowEmergencyRollback: boolean;
  gates: GateValues[];
};

export type Member = { userId: string; name: string; email: string; role: Role };

const ROLE_CHOICES: { value: Role; label: string }[] = [
  { value: "owner", label: "Owners" },
  { value: "maintainer", label: "Maintainers" },
  { value: "contributor", label: "Contributors" },
  { value: "viewer", label: "Viewers" },
];

const GATE_HELP: Record<GateType, string> = {
  metric_vs_holder: "The candidate's metric compared with the version holding the target now.",
  metric_threshold: "The candidate's metric against a fixed value.",
  tag_equals: "A tag on the version (or its source run) must have a value, e.g. validated=true.",
  run_status: "The source run must have finished successfully.",
};

const blankGate = (type: GateType): GateValues => ({
  type,
  metric: "",
  comparison: type === "metric_vs_holder" ? "lt" : "gte",
  value: "",
  passWithoutHolder: true,
  tag: "",
  tagValue: "",
  on: "version",
});

/** The form for a rule; approvers who can no longer review (a role or person saved before) are left out, as they never count. */
function toForm(row: RuleRow | null, reviewerRoles: Role[], reviewers: Member[]): Values {
  if (!row) {
    return {
      targetKind: "alias",
      stage: "Production",
      targetName: "champion",
      modelName: "",
      requiredApprovals: "1",
      approverRoles: [...reviewerRoles],
      approverUserIds: [],
      allowSelfApproval: false,
      allowEmergencyRollback: false,
      gates: [],
    };
  }
  const r = row.rule;
  return {
    targetKind: r.targetKind,
    stage: r.targetKind === "stage" ? r.targetName : "Production",
    targetName: r.targetKind === "stage" ? "" : r.targetName,
    modelName: row.modelName ?? "",
    requiredApprovals: String(r.requiredApprovals),
    approverRoles: r.approverRoles.filter((role) => reviewerRoles.includes(role)),
    approverUserIds: r.approverUserIds.filter((id) => reviewers.some((m) => m.userId === id)),
    allowSelfApproval: r.allowSelfApproval,
    allowEmergencyRollback: r.allowEmergencyRollback,
    gates: r.gates.map((g) => ({
      ...blankGate(g.type),
      ...(g.type === "metric_vs_holder" ? { metric: g.metric, comparison: g.comparison, passWithoutHolder: g.passWithoutHolder } : {}),
      ...(g.type === "metric_threshold" ? { metric: g.metric, comparison: g.comparison, value: String(g.value) } : {}),
      ...(g.type === "tag_equals" ? { tag: g.tag, tagValue: g.value, on: g.on } : {}),
    })),
  };
}

function toGate(g: GateValues): Gate {
  switch (g.type) {
    case "metric_vs_holder":
      return { type: g.type, metric: g.metric.trim(), comparison: g.comparison as "lt", passWithoutHolder: g.passWithoutHolder };
    case "metric_threshold":
      return { type: g.type, metric: g.metric.trim(), comparison: g.comparison as "lt", value: g.value.trim() === "" ? Number.NaN : Number(g.value) };
    case "tag_equals":
      return { type: g.type, tag: g.tag.trim(), value: g.tagValue, on: g.on };
    case "run_status":
      return { type: g.type, status: "FINISHED" };
  }
}

/** A checkbox group's value: react-hook-form gives a lone checkbox's value unwrapped (or false). */
const asArray = <T,>(value: T[] | T | false | undefined): T[] => (Array.isArray(value) ? value : value ? [value] : []);

const small = "mb-1 block text-xs font-medium text-stone-600 dark:text-stone-400";
const errorText = "mt-1 text-xs font-medium text-red-600 dark:text-red-400";

/**
 * Creates or edits the rule protecting a target: who approves, how many, and the automatic gates.
 * Approvers are chosen among `reviewerRoles` (those holding promotion.review) and members in them.
 * The server validates everything; its field errors land under the fields (gates included).
 */
export function RuleDialog(props: {
  slug: string;
  rule: RuleRow | null;
  members: Member[];
  reviewerRoles: Role[];
  models: string[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.promotion.saveRule.mutationOptions());
  const reviewers = props.members.filter((m) => props.reviewerRoles.includes(m.role));
  const form = useForm<Values>({ defaultValues: toForm(props.rule, props.reviewerRoles, reviewers) });
  const gates = useFieldArray({ control: form.control, name: "gates" });
  const [formError, setFormError] = useState<string>();
  const editing = props.rule !== null;
  const kind = form.watch("targetKind");
  const errors = form.formState.errors;

  useOnOpen(
    props.open,
    () => {
      form.reset(toForm(props.rule, props.reviewerRoles, reviewers));
      setFormError(undefined);
    },
    props.rule,
  );

  const submit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    const target = { kind: values.targetKind, name: values.targetKind === "stage" ? values.stage : values.targetName.trim() };
    try {
      await save.mutateAsync({
        projectSlug: props.slug,
        target,
        modelName: values.modelName || null,
        requiredApprovals: Number(values.requiredApprovals),
        approverRoles: asArray(values.approverRoles),
        approverUserIds: asArray(values.approverUserIds),
        allowSelfApproval: values.allowSelfApproval,
        allowEmergencyRollback: values.allowEmergencyRollback,
        gates: values.gates.map(toGate),
      });
      toast.success(`${targetText(target)} ${editing ? "rule saved" : "is now protected"}`);
      props.onOpenChange(false);
      router.refresh();
    } catch (error) {
      setFormError(
        applyServerErrors(form, error, (path): Path<Values> | null => {
          if (path === "target.name") return values.targetKind === "stage" ? "stage" : "targetName";
          if (path === "target.kind") return "targetKind";
          if (["modelName", "requiredApprovals", "approverRoles", "approverUserIds"].includes(path)) return path as Path<Values>;
          const gate = /^gates\.(\d+)\.(\w+)$/.exec(path);
          if (gate) {
            const field = gate[2] === "value" && values.gates[Number(gate[1])]?.type === "tag_equals" ? "tagValue" : gate[2];
            if (["metric", "comparison", "value", "tag", "tagValue", "on"].includes(field!)) return `gates.${Number(gate[1])}.${field}` as Path<Values>;
          }
          return null;
        }),
      );
    }
  });

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={editing ? `Edit the rule for ${targetText({ kind: props.rule!.rule.targetKind, name: props.rule!.rule.targetName })}` : "Protect a target"}
      description={
        editing
          ? `Saving creates revision ${props.rule!.rule.revision + 1}; open requests keep the revision they were opened under.`
          : "Changes to a protected stage, alias or tag go through promotion requests."
      }
    >
      <form onSubmit={submit} className="-mx-5 max-h-[calc(100dvh-10rem)] scroll-pt-4 scroll-pb-24 space-y-5 overflow-y-auto px-5 pb-1" noValidate>
        <FormError message={formError} />
        {editing ? (
          <p className="text-sm text-stone-600 dark:text-stone-400">
            Applies to <strong>{props.rule!.modelName ?? "every model"}</strong>. To protect another target or scope, create a new rule.
          </p>
        ) : (
          <>
            <fieldset>
              <legend className="mb-1.5 text-sm font-medium">Target</legend>
              <div className="grid grid-cols-[8rem_1fr] gap-2">
                <Select aria-label="Target kind" {...form.register("targetKind")}>
                  <option value="alias">Alias</option>
                  <option value="stage">Stage</option>
                  <option value="tag">Version tag</option>
                </Select>
                {kind === "stage" ? (
                  <Select aria-label="Stage" aria-invalid={errors.stage ? true : undefined} {...form.register("stage")}>
                    {HELD_STAGES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input
                    aria-label={kind === "alias" ? "Alias name" : "Tag key"}
                    placeholder={kind === "alias" ? "champion" : "deploy"}
                    className="font-mono"
                    autoComplete="off"
                    aria-invalid={errors.targetName ? true : undefined}
                    {...form.register("targetName")}
                  />
                )}
              </div>
              {(errors.stage ?? errors.targetName ?? errors.targetKind) && (
                <p role="alert" className={errorText}>
                  {(errors.stage ?? errors.targetName ?? errors.targetKind)?.message}
                </p>
              )}
            </fieldset>
            <Field label="Models" hint="A rule for one model wins over the rule for every model." error={errors.modelName?.message}>
              <Select {...form.register("modelName")}>
                <option value="">Every model in the project</option>
                {props.models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        )}

        <Field label="Approvals required" error={errors.requiredApprovals?.message}>
          <Input type="number" min={1} max={10} inputMode="numeric" className="w-24" {...form.register("requiredApprovals")} />
        </Field>

        <fieldset>
          <legend className="mb-1.5 text-sm font-medium">Who may approve</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-2">
            {ROLE_CHOICES.filter((r) => props.reviewerRoles.includes(r.value)).map((r) => (
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
              <p className={small}>Or these members by name (each must hold a role that may review)</p>
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

        <fieldset>
          <div className="mb-2 flex items-center justify-between">
            <legend className="text-sm font-medium">Gates</legend>
            <MenuRoot>
              <MenuTrigger asChild>
                <Button size="sm" variant="secondary" disabled={gates.fields.length >= 20}>
                  <Plus className="size-3.5" aria-hidden /> Add gate
                </Button>
              </MenuTrigger>
              <MenuContent className="w-72">
                {(Object.keys(GATE_HELP) as GateType[]).map((type) => (
                  <MenuItem key={type} onSelect={() => gates.append(blankGate(type))}>
                    <span>
                      <span className="block font-medium">{gateName({ type } as Gate)}</span>
                      <span className="block text-xs text-stone-500">{GATE_HELP[type]}</span>
                    </span>
                  </MenuItem>
                ))}
              </MenuContent>
            </MenuRoot>
          </div>
          {gates.fields.length === 0 && (
            <p className="rounded-md border border-dashed border-stone-300 px-3 py-3 text-sm text-stone-500 dark:border-stone-700">
              No gates: approvals alone decide.
            </p>
          )}
          <ol className="space-y-2">
            {gates.fields.map((field, i) => {
              const type = form.watch(`gates.${i}.type`);
              const e = errors.gates?.[i];
              return (
                <li key={field.id} className="rounded-md border border-stone-200 bg-stone-50/60 p-3 dark:border-stone-700 dark:bg-stone-800/30">
                  <div className="mb-2 flex items-center justify-between gap-2">
                    <p className="text-sm font-medium">
                      {i + 1}. {gateName({ type } as Gate)}
                    </p>
                    <Button size="sm" variant="ghost" onClick={() => gates.remove(i)} aria-label={`Remove gate ${i + 1}`} className="h-7 px-1.5 text-stone-500">
                      <Trash2 className="size-3.5" aria-hidden />
                    </Button>
                  </div>
                  {(type === "metric_vs_holder" || type === "metric_threshold") && (
                    <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_8.5rem_minmax(0,0.8fr)]">
                      <div>
                        <label className={small} htmlFor={`gate-${field.id}-metric`}>
                          Metric
                        </label>
                        <Input
                          id={`gate-${field.id}-metric`}
                          placeholder="auc"
                          className="font-mono"
                          autoComplete="off"
                          aria-invalid={e?.metric ? true : undefined}
                          {...form.register(`gates.${i}.metric`)}
                        />
                        {e?.metric && <p className={errorText}>{e.metric.message}</p>}
                      </div>
                      <div>
                        <label className={small} htmlFor={`gate-${field.id}-cmp`}>
                          Must be
                        </label>
                        <Select id={`gate-${field.id}-cmp`} {...form.register(`gates.${i}.comparison`)}>
                          <option value="lt">&lt; less than</option>
                          <option value="lte">≤ at most</option>
                          <option value="gt">&gt; more than</option>
                          <option value="gte">≥ at least</option>
                          {type === "metric_threshold" && <option value="eq">= equal</option>}
                        </Select>
                      </div>
                      {type === "metric_threshold" ? (
                        <div>
                          <label className={small} htmlFor={`gate-${field.id}-value`}>
                            Value
                          </label>
                          <Input
                            id={`gate-${field.id}-value`}
                            inputMode="decimal"
                            placeholder="0.9"
                            className="font-mono"
                            aria-invalid={e?.value ? true : undefined}
                            {...form.register(`gates.${i}.value`)}
                          />
                          {e?.value && <p className={errorText}>{e.value.message}</p>}
                        </div>
                      ) : (
                        <div className="flex flex-col justify-end">
                          <span className="pb-2 text-sm text-stone-600 dark:text-stone-400">than the holder's</span>
                        </div>
                      )}
                      {type === "metric_vs_holder" && (
                        <label className="inline-flex items-center gap-2 text-xs text-stone-600 sm:col-span-3 dark:text-stone-400">
                          <input type="checkbox" className="size-3.5 accent-brand-600" {...form.register(`gates.${i}.passWithoutHolder`)} />
                          Pass when no version holds the target yet
                        </label>
                      )}
                    </div>
                  )}
                  {type === "tag_equals" && (
                    <div className="grid gap-2 sm:grid-cols-[7rem_minmax(0,1fr)_minmax(0,1fr)]">
                      <div>
                        <label className={small} htmlFor={`gate-${field.id}-on`}>
                          Tag of the
                        </label>
                        <Select id={`gate-${field.id}-on`} {...form.register(`gates.${i}.on`)}>
                          <option value="version">version</option>
                          <option value="run">source run</option>
                        </Select>
                      </div>
                      <div>
                        <label className={small} htmlFor={`gate-${field.id}-tag`}>
                          Key
                        </label>
                        <Input
                          id={`gate-${field.id}-tag`}
                          placeholder="validated"
                          className="font-mono"
                          autoComplete="off"
                          aria-invalid={e?.tag ? true : undefined}
                          {...form.register(`gates.${i}.tag`)}
                        />
                        {e?.tag && <p className={errorText}>{e.tag.message}</p>}
                      </div>
                      <div>
                        <label className={small} htmlFor={`gate-${field.id}-tagvalue`}>
                          Equals
                        </label>
                        <Input
                          id={`gate-${field.id}-tagvalue`}
                          placeholder="true"
                          className="font-mono"
                          autoComplete="off"
                          aria-invalid={e?.tagValue ? true : undefined}
                          {...form.register(`gates.${i}.tagValue`)}
                        />
                        {e?.tagValue && <p className={errorText}>{e.tagValue.message}</p>}
                      </div>
                    </div>
                  )}
                  {type === "run_status" && <p className="text-sm text-stone-600 dark:text-stone-400">The source run's status must be FINISHED.</p>}
                </li>
              );
            })}
          </ol>
        </fieldset>

        <div className="sticky bottom-0 -mx-5 flex justify-end gap-2 border-t border-stone-200 bg-white px-5 pt-3 dark:border-stone-800 dark:bg-stone-900">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={save.isPending}>
            {editing ? "Save rule" : "Protect target"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
