"use client";

import { ArrowDownWideNarrow, ArrowUpWideNarrow, Minus } from "lucide-react";
import { useMemo, useState } from "react";
import type { CompareKey, CompareRun } from "@/server/services/tracking/compare";
import { Card, CardHeader } from "../ui/card";
import { cn } from "../ui/cn";
import { bestIndexes, formatNumber, goalOf, nextGoal, type Goal } from "./compare-data";
import { KeyFilter, RunHeads, stickyKey, type RunColor } from "./run-columns";

const GOAL_WORDS: Record<string, string> = { min: "lower is better", max: "higher is better", null: "no best value" };

/**
 * The latest value of every metric, runs side by side. The best run of each row is highlighted;
 * whether lower or higher is better is guessed from the key (the project's primary metric uses its
 * goal; system metrics have none) and can be changed per row.
 */
export function MetricTable(props: { runs: CompareRun[]; palette: RunColor[]; keys: CompareKey[]; primary: { key: string; goal: Goal } | null }) {
  const { runs, keys } = props;
  const [goals, setGoals] = useState<ReadonlyMap<string, Goal | null>>(new Map());
  const [filter, setFilter] = useState("");

  const rows = useMemo(() => {
    const maps = runs.map((run) => new Map(run.metrics.map((m) => [m.key, m])));
    return keys.map(({ key }) => ({ key, metrics: maps.map((m) => m.get(key)) }));
  }, [runs, keys]);
  const needle = filter.trim().toLowerCase();
  const shown = rows.filter((r) => !needle || r.key.toLowerCase().includes(needle));

  return (
    <Card>
      <CardHeader
        title="Metrics"
        description={keys.length ? "Latest values; the best run of each row is highlighted." : "No run logged any metric."}
        actions={keys.length > 0 && <KeyFilter value={filter} onChange={setFilter} label="Filter metrics" />}
      />
      {keys.length > 0 && (
        <div className="max-h-[32rem] overflow-auto">
          <table className="w-full border-separate border-spacing-0 text-left text-sm">
            <thead className="sticky top-0 z-[2] bg-white dark:bg-stone-900">
              <RunHeads runs={runs} palette={props.palette} keyLabel="Metric" />
            </thead>
            <tbody>
              {shown.map(({ key, metrics }) => {
                const goal = goals.has(key) ? (goals.get(key) ?? null) : goalOf(key, props.primary);
                const best = bestIndexes(
                  metrics.map((m) => m?.value),
                  goal,
                );
                const GoalIcon = goal === "min" ? ArrowDownWideNarrow : goal === "max" ? ArrowUpWideNarrow : Minus;
                const said = GOAL_WORDS[String(goal)]!;
                const next = GOAL_WORDS[String(nextGoal(goal))]!;
                return (
                  <tr key={key}>
                    <th
                      scope="row"
                      className={cn(
                        stickyKey,
                        "border-b border-stone-100 px-3 py-1.5 font-mono text-xs font-normal text-stone-700 dark:border-stone-800/60 dark:text-stone-300",
                      )}
                    >
                      <span className="flex items-center justify-between gap-2">
                        <span className="break-all">{key}</span>
                        <button
                          type="button"
                          onClick={() => setGoals((current) => new Map(current).set(key, nextGoal(goal)))}
                          className="inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 font-sans text-[11px] text-stone-500 hover:bg-stone-100 hover:text-stone-800 dark:text-stone-400 dark:hover:bg-stone-800 dark:hover:text-stone-200"
                          title={`${said}; click for ${next}`}
                          aria-label={`${key}: ${said}. Switch to ${next}`}
                        >
                          <GoalIcon className="size-3.5" aria-hidden />
                          {goal ?? <span className="sr-only">none</span>}
                        </button>
                      </span>
                    </th>
                    {metrics.map((metric, i) => {
                      const isBest = best.has(i);
                      return (
                        <td
                          key={runs[i]!.runId}
                          className={cn(
                            "border-b border-stone-100 px-3 py-1.5 text-right font-mono text-xs tabular-nums dark:border-stone-800/60",
                            isBest && "bg-emerald-50 font-semibold text-emerald-800 dark:bg-emerald-900/30 dark:text-emerald-300",
                          )}
                          title={
                            metric
                              ? `${metric.value} at step ${metric.step} · min ${metric.min ?? "—"} · max ${metric.max ?? "—"} · ${metric.count} points`
                              : undefined
                          }
                        >
                          {metric ? formatNumber(metric.value) : <span className="font-sans text-stone-400">—</span>}
                          {isBest && <span className="sr-only"> (best)</span>}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
              {!shown.length && (
                <tr>
                  <td colSpan={runs.length + 1} className="px-5 py-4 text-sm text-stone-500 dark:text-stone-400">
                    No metric matches “{filter.trim()}”.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
