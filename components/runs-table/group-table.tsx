"use client";

import { ArrowRight } from "lucide-react";
import type { RunGroup } from "@/server/services/tracking/runs-table";
import { cn } from "../ui/cn";
import { SegmentedControl } from "../ui/segmented-control";
import { exactMetric, formatCount, formatMetric } from "./format";
import { columnLabel } from "@/server/services/tracking/run-columns";
import { AGGREGATES, type Aggregate } from "@/server/services/tracking/run-view-state";

const AGGREGATE_LABEL: Record<Aggregate, string> = { avg: "Mean", min: "Min", max: "Max" };

/** Which aggregate of each metric the grouped view shows. */
export function AggregateToggle(props: { value: Aggregate; onChange: (value: Aggregate) => void }) {
  return <SegmentedControl label="Aggregate" options={AGGREGATES} labels={AGGREGATE_LABEL} value={props.value} onChange={props.onChange} />;
}

/**
 * The runs in view grouped by a param or tag: how many runs each value has and an aggregate of each
 * metric column. Choosing a value narrows the filter to it and returns to the run list.
 */
export function GroupTable(props: {
  groupBy: string;
  groups: RunGroup[];
  totalGroups: number;
  metrics: string[];
  aggregate: Aggregate;
  onDrill: (value: string) => void;
  stale: boolean;
}) {
  const largest = Math.max(1, ...props.groups.map((g) => g.runs));
  return (
    <div className={cn("transition-opacity", props.stale && "opacity-60")}>
      <table className="w-full border-separate border-spacing-0 text-left text-sm" aria-label={`Runs grouped by ${columnLabel(props.groupBy)}`}>
        <thead className="sticky top-0 z-10 bg-stone-50/95 backdrop-blur dark:bg-stone-900/95">
          <tr>
            <th scope="col" className="border-b border-stone-200 px-4 py-2 text-xs font-medium text-stone-500 dark:border-stone-800 dark:text-stone-400">
              <span className="mr-1.5 text-[10px] tracking-wide uppercase">{props.groupBy.startsWith("params.") ? "Param" : "Tag"}</span>
              <span className="font-mono">{columnLabel(props.groupBy)}</span>
            </th>
            <th scope="col" className="w-56 border-b border-stone-200 px-4 py-2 text-xs font-medium text-stone-500 dark:border-stone-800 dark:text-stone-400">
              Runs
            </th>
            {props.metrics.map((id) => (
              <th
                key={id}
                scope="col"
                className="border-b border-stone-200 px-4 py-2 text-right text-xs font-medium text-stone-500 dark:border-stone-800 dark:text-stone-400"
              >
                <span className="font-mono normal-case">{columnLabel(id)}</span>
                <span className="ml-1 text-[10px] tracking-wide text-stone-400 uppercase">{AGGREGATE_LABEL[props.aggregate]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.groups.map((group) => (
            <tr key={group.value ?? "\u0000missing"} className="group hover:bg-stone-50 dark:hover:bg-stone-800/40">
              <td className="border-b border-stone-100 px-4 py-2 dark:border-stone-800/60">
                {group.value === null ? (
                  <span className="text-stone-400 italic" title="Runs that did not log this key">
                    (missing)
                  </span>
                ) : (
                  <button
                    type="button"
                    onClick={() => props.onDrill(group.value!)}
                    className="inline-flex max-w-md items-center gap-1.5 rounded text-left font-mono text-[13px] text-brand-700 hover:underline dark:text-brand-100"
                    title={`Show the runs where ${columnLabel(props.groupBy)} = ${group.value}`}
                  >
                    <span className="truncate">{group.value === "" ? "(empty)" : group.value}</span>
                    <ArrowRight className="size-3.5 shrink-0 opacity-0 transition-opacity group-hover:opacity-70" aria-hidden />
                  </button>
                )}
              </td>
              <td className="border-b border-stone-100 px-4 py-2 dark:border-stone-800/60">
                <div className="flex items-center gap-2">
                  <span className="w-14 text-right tabular-nums">{formatCount(group.runs)}</span>
                  <span className="h-1.5 flex-1 overflow-hidden rounded-full bg-stone-100 dark:bg-stone-800" aria-hidden>
                    <span className="block h-full rounded-full bg-brand-500/70" style={{ width: `${(group.runs / largest) * 100}%` }} />
                  </span>
                </div>
              </td>
              {props.metrics.map((id) => {
                const stats = group.metrics[id];
                const value = stats?.[props.aggregate] ?? null;
                return (
                  <td key={id} className="border-b border-stone-100 px-4 py-2 text-right tabular-nums dark:border-stone-800/60">
                    {value === null || !stats ? (
                      <span className="text-stone-300 dark:text-stone-600">—</span>
                    ) : (
                      <span
                        title={`min ${exactMetric(stats.min ?? NaN)} · mean ${exactMetric(stats.avg ?? NaN)} · max ${exactMetric(stats.max ?? NaN)} · ${formatCount(stats.count)} of ${formatCount(group.runs)} runs`}
                      >
                        {formatMetric(value)}
                        <span className="ml-2 text-xs text-stone-400">
                          {formatMetric(stats.min)}–{formatMetric(stats.max)}
                        </span>
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {props.totalGroups > props.groups.length && (
        <p className="px-4 py-3 text-xs text-stone-500">
          Showing the {formatCount(props.groups.length)} largest of {formatCount(props.totalGroups)} groups. Narrow the filter to see the rest.
        </p>
      )}
      {props.metrics.length === 0 && <p className="px-4 py-3 text-xs text-stone-500">Add metric columns to compare their aggregates across groups.</p>}
    </div>
  );
}
