"use client";

import { useMutation } from "@tanstack/react-query";
import { Lock, ShieldCheck } from "lucide-react";
import { useState } from "react";
import type { Role } from "@/server/access/permissions";
import { targetText } from "../registry/format";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { RuleDialog } from "./rule-dialog";
import type { Member } from "./rule-form";
import { RuleHistoryDialog } from "./rule-history-dialog";
import { RuleItem } from "./rule-item";
import type { RuleRow } from "./types";

type Open = { kind: "edit"; rule: RuleRow | null } | { kind: "history"; rule: RuleRow } | { kind: "delete"; rule: RuleRow } | null;

/** The project's protected targets and their rules; editable by holders of `promotion.rules`. */
export function RulesPanel(props: { slug: string; rules: RuleRow[]; members: Member[]; reviewerRoles: Role[]; models: string[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.promotion.deleteRule.mutationOptions());
  const [open, setOpen] = useState<Open>(null);
  const close = (isOpen: boolean) => !isOpen && setOpen(null);
  const deleting = open?.kind === "delete" ? { row: open.rule, label: targetText({ kind: open.rule.rule.targetKind, name: open.rule.rule.targetName }) } : null;
  const nameOf = (id: string) => props.members.find((m) => m.userId === id)?.name ?? "a former member";

  return (
    <>
      <Card>
        <CardHeader
          title="Promotion rules"
          description="Protected stages, aliases and tags change only through reviewed promotion requests."
          actions={
            props.canEdit ? (
              <Button onClick={() => setOpen({ kind: "edit", rule: null })}>
                <ShieldCheck className="size-4" aria-hidden /> Protect a target
              </Button>
            ) : undefined
          }
        />
        {props.rules.length ? (
          <ul className="divide-y divide-stone-100 dark:divide-stone-800">
            {props.rules.map((row) => (
              <RuleItem
                key={row.rule.id}
                row={row}
                nameOf={nameOf}
                canEdit={props.canEdit}
                onHistory={() => setOpen({ kind: "history", rule: row })}
                onEdit={() => setOpen({ kind: "edit", rule: row })}
                onDelete={() => setOpen({ kind: "delete", rule: row })}
              />
            ))}
          </ul>
        ) : (
          <div className="p-5">
            <EmptyState
              icon={<Lock className="size-7" />}
              title="Nothing is protected yet"
              description={
                props.canEdit
                  ? "Protect the stage or alias your services load (Production, @champion): from then on it changes only through approved promotion requests, for people and pipelines alike."
                  : "Owners and maintainers can protect stages and aliases so that they change only through approved promotion requests."
              }
              action={
                props.canEdit ? (
                  <Button variant="secondary" size="sm" onClick={() => setOpen({ kind: "edit", rule: null })}>
                    Protect a target
                  </Button>
                ) : undefined
              }
            />
          </div>
        )}
        {!props.canEdit && props.rules.length > 0 && (
          <p className="border-t border-stone-100 px-5 py-3 text-xs text-stone-500 dark:border-stone-800">
            Read-only: your role cannot change promotion rules.
          </p>
        )}
      </Card>
      {props.canEdit && (
        <RuleDialog
          slug={props.slug}
          rule={open?.kind === "edit" ? open.rule : null}
          members={props.members}
          reviewerRoles={props.reviewerRoles}
          models={props.models}
          open={open?.kind === "edit"}
          onOpenChange={close}
        />
      )}
      {open?.kind === "history" && <RuleHistoryDialog slug={props.slug} row={open.rule} nameOf={nameOf} onOpenChange={close} />}
      {deleting && (
        <ConfirmDialog
          open
          onOpenChange={close}
          title={`Stop protecting ${deleting.label}?`}
          description={`Anyone with model write access will be able to move ${deleting.label}${deleting.row.modelName ? ` of ${deleting.row.modelName}` : ""} directly. Open requests keep the revision they were opened under; the rule's history stays in the audit log.`}
          keepLabel="Keep the rule"
          confirmLabel="Stop protecting"
          done={`${deleting.label} is no longer protected`}
          confirm={() => remove.mutateAsync({ projectSlug: props.slug, ruleId: deleting.row.rule.id })}
        />
      )}
    </>
  );
}
