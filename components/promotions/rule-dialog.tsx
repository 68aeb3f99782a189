"use client";

import type { Role } from "@/server/access/permissions";
import { targetText } from "../registry/format";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { GateEditor } from "./gate-editor";
import { RuleApprovalFields } from "./rule-approval-fields";
import type { Member } from "./rule-form";
import { RuleTargetFields } from "./rule-target-fields";
import type { RuleRow } from "./types";
import { useRuleForm } from "./use-rule-form";

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
  const reviewers = props.members.filter((m) => props.reviewerRoles.includes(m.role));
  const { form, gates, formError, submit, saving } = useRuleForm({
    slug: props.slug,
    rule: props.rule,
    reviewerRoles: props.reviewerRoles,
    reviewers,
    open: props.open,
    onSaved: () => props.onOpenChange(false),
  });
  const rule = props.rule?.rule;

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={rule ? `Edit the rule for ${targetText({ kind: rule.targetKind, name: rule.targetName })}` : "Protect a target"}
      description={
        rule
          ? `Saving creates revision ${rule.revision + 1}; open requests keep the revision they were opened under.`
          : "Changes to a protected stage, alias or tag go through promotion requests."
      }
    >
      <form onSubmit={submit} className="-mx-5 max-h-[calc(100dvh-10rem)] scroll-pt-4 scroll-pb-24 space-y-5 overflow-y-auto px-5 pb-1" noValidate>
        <FormError message={formError} />
        {props.rule ? (
          <p className="text-sm text-stone-600 dark:text-stone-400">
            Applies to <strong>{props.rule.modelName ?? "every model"}</strong>. To protect another target or scope, create a new rule.
          </p>
        ) : (
          <RuleTargetFields form={form} models={props.models} />
        )}
        <RuleApprovalFields form={form} reviewerRoles={props.reviewerRoles} reviewers={reviewers} />
        <GateEditor form={form} gates={gates} />

        <div className="sticky bottom-0 -mx-5 flex justify-end gap-2 border-t border-stone-200 bg-white px-5 pt-3 dark:border-stone-800 dark:bg-stone-900">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={saving}>
            {props.rule ? "Save rule" : "Protect target"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
