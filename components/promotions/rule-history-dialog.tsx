"use client";

import { useQuery } from "@tanstack/react-query";
import { targetText } from "../registry/format";
import { errorDetails, useTRPC } from "../trpc";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Time } from "../ui/time";
import { ruleChanges, type RuleSnapshot } from "./rule-text";
import type { RuleRow } from "./types";

/** A rule's revisions, newest first, each with who saved it, when, and what it changed. */
export function RuleHistoryDialog({
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
            const before = index > 0 ? (list[index - 1]!.snapshot as RuleSnapshot) : null;
            return (
              <li key={rev.revision} className="rounded-md border border-stone-200 p-3 dark:border-stone-800">
                <p className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium">Revision {rev.revision}</span>
                  <span className="text-xs text-stone-500">
                    {rev.changedBy ? nameOf(rev.changedBy) : "someone"} · <Time value={rev.changedAt} />
                  </span>
                </p>
                <ul className="mt-1.5 list-disc space-y-0.5 pl-5 text-sm text-stone-600 dark:text-stone-400">
                  {ruleChanges(before, rev.snapshot as RuleSnapshot, nameOf).map((c) => (
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
