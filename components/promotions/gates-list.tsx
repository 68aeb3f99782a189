import { CircleCheck, CircleX, ListChecks } from "lucide-react";
import { tidyNumbers } from "../registry/format";
import { cn } from "../ui/cn";
import { judgedGateText, type Judged } from "./gate-text";
import type { Gate, GateResult } from "./types";

const GATE_NAMES: Record<Gate["type"], string> = {
  metric_vs_holder: "Metric against the holder",
  metric_threshold: "Metric threshold",
  tag_equals: "Tag equals",
  run_status: "Source run status",
  card_complete: "Model card complete",
  beats_production: "Beats production",
};

export const gateName = (gate: Gate) => GATE_NAMES[gate.type];

/** The rule's gates as evaluated on the candidate: pass or fail, what was expected, what was found (worded for when). */
export function GatesList({ gates, judged }: { gates: GateResult[]; judged: Judged }) {
  if (!gates.length) {
    return (
      <p className="flex items-center gap-2 px-5 py-4 text-sm text-stone-500">
        <ListChecks className="size-4" aria-hidden /> The rule sets no gates: approvals alone decide.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-stone-100 dark:divide-stone-800">
      {gates.map((g, i) => {
        const text = judgedGateText(g, judged);
        return (
          <li key={i} className="flex items-start gap-3 px-5 py-3">
            {g.passed ? (
              <CircleCheck className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-label="Passed" role="img" />
            ) : (
              <CircleX className="mt-0.5 size-5 shrink-0 text-red-600 dark:text-red-400" aria-label="Failed" role="img" />
            )}
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <p className="text-sm font-medium">{gateName(g.gate)}</p>
                <p className="text-xs text-stone-500" title={text.message}>
                  {tidyNumbers(text.message)}
                </p>
              </div>
              <dl className="mt-1.5 flex flex-wrap gap-x-5 gap-y-1 text-xs">
                <div className="flex items-center gap-1.5">
                  <dt className="text-stone-500">Expected</dt>
                  <dd>
                    <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono dark:bg-stone-800" title={text.expected}>
                      {tidyNumbers(text.expected)}
                    </code>
                  </dd>
                </div>
                <div className="flex items-center gap-1.5">
                  <dt className="text-stone-500">Actual</dt>
                  <dd>
                    <code
                      className={cn(
                        "rounded px-1.5 py-0.5 font-mono",
                        g.passed
                          ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-900/30 dark:text-emerald-300"
                          : "bg-red-50 text-red-800 dark:bg-red-900/30 dark:text-red-300",
                      )}
                      title={g.actual ?? undefined}
                    >
                      {g.actual === null ? "none" : tidyNumbers(g.actual)}
                    </code>
                  </dd>
                </div>
              </dl>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
