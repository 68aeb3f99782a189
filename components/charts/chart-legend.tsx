"use client";

import type { ChartSeriesReply } from "@/server/services/tracking/chart-series";
import { cn } from "../ui/cn";

/** The chart's runs in their colours; with several, each is a toggle that hides or shows its run. */
export function ChartLegend(props: { runs: ChartSeriesReply; colorOf: Map<string, string>; hidden: ReadonlySet<string>; onToggle: (runId: string) => void }) {
  const several = props.runs.runs.length > 1;
  return (
    <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label="Runs">
      {props.runs.runs.map((run) => {
        const off = props.hidden.has(run.runId);
        const swatch = <span className="h-0.5 w-3 shrink-0 rounded" style={{ background: props.colorOf.get(run.runId) }} aria-hidden />;
        return (
          <li key={run.runId} className="min-w-0">
            {several ? (
              <button
                type="button"
                aria-pressed={!off}
                onClick={() => props.onToggle(run.runId)}
                className={cn("inline-flex max-w-full items-center gap-1.5 rounded px-1 hover:bg-stone-100 dark:hover:bg-stone-800", off && "opacity-40")}
                title={off ? "Show this run" : "Hide this run"}
              >
                {swatch}
                <span className="truncate">{run.runName}</span>
              </button>
            ) : (
              <span className="inline-flex max-w-full items-center gap-1.5 text-stone-600 dark:text-stone-300">
                {swatch}
                <span className="truncate">{run.runName}</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
