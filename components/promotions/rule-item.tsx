"use client";

import { History, Pencil, Trash2 } from "lucide-react";
import { TargetChip } from "../registry/badges";
import { targetText } from "../registry/format";
import { Button } from "../ui/button";
import { Time } from "../ui/time";
import { gateText } from "./gate-text";
import { approversText } from "./rule-text";
import type { Gate, RuleRow } from "./types";

/** One protected target in the rules panel: its scope, revision, approvers and gates, and what may be done with it. */
export function RuleItem(props: {
  row: RuleRow;
  nameOf: (id: string) => string;
  canEdit: boolean;
  onHistory: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const r = props.row.rule;
  const target = { kind: r.targetKind, name: r.targetName };
  return (
    <li className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start">
      <div className="min-w-0 flex-1 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <TargetChip target={target} locked />
          <span className="text-sm text-stone-500">
            {props.row.modelName ? (
              <>
                for <strong className="font-medium text-stone-800 dark:text-stone-200">{props.row.modelName}</strong>
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
          from {approversText(r.approverRoles, r.approverUserIds, props.nameOf)}
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
        <Button size="sm" variant="ghost" onClick={props.onHistory} aria-label={`History of the rule for ${targetText(target)}`}>
          <History className="size-3.5" aria-hidden /> History
        </Button>
        {props.canEdit && (
          <>
            <Button size="sm" variant="secondary" onClick={props.onEdit} aria-label={`Edit the rule for ${targetText(target)}`}>
              <Pencil className="size-3.5" aria-hidden /> Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="text-red-600 dark:text-red-400"
              onClick={props.onDelete}
              aria-label={`Stop protecting ${targetText(target)}`}
            >
              <Trash2 className="size-3.5" aria-hidden />
            </Button>
          </>
        )}
      </div>
    </li>
  );
}
