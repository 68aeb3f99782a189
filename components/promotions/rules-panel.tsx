"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { History, Lock, Pencil, ShieldCheck, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import type { Role } from "@/server/access/permissions";
import { TargetChip } from "../registry/badges";
import { targetText } from "../registry/format";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { FormError } from "../ui/field";
import { Time } from "../ui/time";
import { gateText } from "./gate-text";
import { RuleDialog, type Member } from "./rule-dialog";
import type { Gate, RuleRow } from "./types";

const ROLE_NAMES: Record<string, string> = { owner: "owners", maintainer: "maintainers", contributor: "contributors", viewer: "viewers" };

type Open = { kind: "edit"; rule: RuleRow | null } | { kind: "history"; rule: RuleRow } | { kind: "delete"; rule: RuleRow } | null;

/** The project's protected targets and their rules; editable by holders of `promotion.rules`. */
export function RulesPanel(props: { slug: string; rules: RuleRow[]; members: Member[]; reviewerRoles: Role[]; models: string[]; canEdit: boolean }) {
  const [open, setOpen] = useState<Open>(null);
  const close = (isOpen: boolean) => !isOpen && setOpen(null);
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
            {props.rules.map((row) => {
              const r = row.rule;
              const target = { kind: r.targetKind, name: r.targetName };
              return (
                <li key={r.id} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start">
                  <div className="min-w-0 flex-1 space-y-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <TargetChip target={target} locked />
                      <span className="text-sm text-stone-500">
                        {row.modelName ? (
                          <>
                            for <strong className="font-medium text-stone-800 dark:text-stone-200">{row.modelName}</strong>
                          </>
                        ) : (
                          "for every model"
                        )}
                      </span>
                      <span className="text-xs text-stone-400">
                        revision {r.revision} · updated <Time value={r.updatedAt} />
                      </span>
                    </div>
                    <p className="text-sm text-stone-700 dark:text-stone-300">
                      <strong className="font-semibold">
                        {r.requiredApprovals} approval{r.requiredApprovals === 1 ? "" : "s"}
                      </strong>{" "}
                      from {[...r.approverRoles.map((x) => ROLE_NAMES[x] ?? x), ...r.approverUserIds.map(nameOf)].join(", ") || "nobody"}
                      {r.allowSelfApproval ? " · self-approval allowed" : ""}
                      {r.allowEmergencyRollback ? " · emergency rollback" : ""}
                    </p>
                    {r.gates.length > 0 ? (
                      <ul className="flex flex-wrap gap-1.5" aria-label="Gates">
                        {r.gates.map((g: Gate, i: number) => (
                          <li
                            key={i}
                            className="rounded border border-stone-200 bg-stone-50 px-1.5 py-0.5 font-mono text-[11px] text-stone-600 dark:border-stone-700 dark:bg-stone-800/60 dark:text-stone-300"
                          >
                            {gateText(g)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="text-xs text-stone-500">No gates</p>
                    )}
                  </div>
                  <div className="flex shrink-0 gap-1">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setOpen({ kind: "history", rule: row })}
                      aria-label={`History of the rule for ${targetText(target)}`}
                    >
                      <History className="size-3.5" aria-hidden /> History
                    </Button>
                    {props.canEdit && (
                      <>
                        <Button
                          size="sm"
                          variant="secondary"
                          onClick={() => setOpen({ kind: "edit", rule: row })}
                          aria-label={`Edit the rule for ${targetText(target)}`}
                        >
                          <Pencil className="size-3.5" aria-hidden /> Edit
                        </Button>
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-red-600 dark:text-red-400"
                          onClick={() => setOpen({ kind: "delete", rule: row })}
                          aria-label={`Stop protecting ${targetText(target)}`}
                        >
                          <Trash2 className="size-3.5" aria-hidden />
                        </Button>
                      </>
                    )}
                  </div>
                </li>
              );
            })}
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
      {open?.kind === "history" && <HistoryDialog slug={props.slug} row={open.rule} nameOf={nameOf} onOpenChange={close} />}
      {open?.kind === "delete" && <DeleteDialog slug={props.slug} row={open.rule} onOpenChange={close} />}
    </>
  );
}

type Snapshot = {
  requiredApprovals?: number;
  approverRoles?: string[];
  approverUserIds?: string[];
  allowSelfApproval?: boolean;
  allowEmergencyRollback?: boolean;
  gates?: Gate[];
};

/** What changed between two revisions of a rule, in words. */
function changes(before: Snapshot | null, after: Snapshot, nameOf: (id: string) => string): string[] {
  if (!before) {
    const who = [...(after.approverRoles ?? []).map((r) => ROLE_NAMES[r] ?? r), ...(after.approverUserIds ?? []).map(nameOf)].join(", ") || "nobody";
    return [
      `Protected the target: ${after.requiredApprovals ?? 1} approval${after.requiredApprovals === 1 ? "" : "s"} from ${who}`,
      ...(after.allowSelfApproval ? ["Self-approval allowed"] : []),
      ...(after.allowEmergencyRollback ? ["Emergency rollback allowed"] : []),
      ...(after.gates ?? []).map((g) => `Gate ${gateText(g)}`),
    ];
  }
  const out: string[] = [];
  if (before.requiredApprovals !== after.requiredApprovals) out.push(`Approvals required: ${before.requiredApprovals} → ${after.requiredApprovals}`);
  const list = (v?: string[]) => (v ?? []).slice().sort().join(",");
  if (list(before.approverRoles) !== list(after.approverRoles))
    out.push(`Approver roles: ${(after.approverRoles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(", ") || "none"}`);
  if (list(before.approverUserIds) !== list(after.approverUserIds))
    out.push(`Named approvers: ${(after.approverUserIds ?? []).map(nameOf).join(", ") || "none"}`);
  if (before.allowSelfApproval !== after.allowSelfApproval) out.push(`Self-approval ${after.allowSelfApproval ? "allowed" : "no longer allowed"}`);
  if (before.allowEmergencyRollback !== after.allowEmergencyRollback)
    out.push(`Emergency rollback ${after.allowEmergencyRollback ? "allowed" : "no longer allowed"}`);
  const gates = (v?: Gate[]) => (v ?? []).map(gateText);
  const was = gates(before.gates);
  const now = gates(after.gates);
  for (const g of now) if (!was.includes(g)) out.push(`Added gate ${g}`);
  for (const g of was) if (!now.includes(g)) out.push(`Removed gate ${g}`);
  return out.length ? out : ["Saved without changes"];
}

function HistoryDialog({
  slug,
  row,
  nameOf,
  onOpenChange,
}: {
  slug: string;
  row: RuleRow;
  nameOf: (id: string) => string;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const revisions = useQuery(trpc.promotion.ruleRevisions.queryOptions({ projectSlug: slug, ruleId: row.rule.id }));
  const target = { kind: row.rule.targetKind, name: row.rule.targetName };
  const list = revisions.data ?? [];
  return (
    <Dialog
      open
      onOpenChange={onOpenChange}
      title={`History of the rule for ${targetText(target)}`}
      description={row.modelName ? `For ${row.modelName}` : "For every model"}
    >
      {revisions.isPending ? (
        <div className="space-y-2" aria-busy="true" aria-label="Loading revisions">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-12 animate-pulse rounded bg-stone-100 dark:bg-stone-800" />
          ))}
        </div>
      ) : revisions.error ? (
        <FormError message={errorDetails(revisions.error).message} />
      ) : (
        <ol className="max-h-[60dvh] space-y-3 overflow-y-auto">
          {[...list].reverse().map((rev) => {
            const index = list.indexOf(rev);
            const before = index > 0 ? (list[index - 1]!.snapshot as Snapshot) : null;
            return (
              <li key={rev.revision} className="rounded-md border border-stone-200 p-3 dark:border-stone-800">
                <p className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium">Revision {rev.revision}</span>
                  <span className="text-xs text-stone-500">
                    {rev.changedBy ? nameOf(rev.changedBy) : "someone"} · <Time value={rev.changedAt} />
                  </span>
                </p>
                <ul className="mt-1.5 list-disc space-y-0.5 pl-5 text-sm text-stone-600 dark:text-stone-400">
                  {changes(before, rev.snapshot as Snapshot, nameOf).map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
    </Dialog>
  );
}

function DeleteDialog({ slug, row, onOpenChange }: { slug: string; row: RuleRow; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.promotion.deleteRule.mutationOptions());
  const [error, setError] = useState<string>();
  const label = targetText({ kind: row.rule.targetKind, name: row.rule.targetName });
  return (
    <Dialog
      open
      onOpenChange={onOpenChange}
      title={`Stop protecting ${label}?`}
      description={`Anyone with model write access will be able to move ${label}${row.modelName ? ` of ${row.modelName}` : ""} directly. Open requests keep the revision they were opened under; the rule's history stays in the audit log.`}
    >
      <div className="space-y-4">
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Keep the rule
          </Button>
          <Button
            variant="danger"
            pending={remove.isPending}
            onClick={async () => {
              try {
                await remove.mutateAsync({ projectSlug: slug, ruleId: row.rule.id });
                toast.success(`${label} is no longer protected`);
                onOpenChange(false);
                router.refresh();
              } catch (err) {
                setError(errorDetails(err).message);
              }
            }}
          >
            Stop protecting
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
