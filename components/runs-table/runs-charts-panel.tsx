"use client";

import { useId, useState } from "react";
import { RunsCharts } from "../charts/runs-charts";
import type { RunsTableRow } from "@/server/services/tracking/runs-table";

const CHOICES = [5, 10, 20, 50] as const;

/**
 * The charts view of the runs table: the first runs in view, in the table's order, one curve each.
 * Filtering and sorting the table chooses which runs are drawn.
 */
export function RunsChartsPanel(props: {
  slug: string;
  total: number;
  rowAt: (index: number) => RunsTableRow | undefined;
  primaryKey: string | null;
  canSaveLayout: boolean;
}) {
  const id = useId();
  const [count, setCount] = useState<number>(10);
  const runIds = Array.from({ length: Math.min(count, props.total) }, (_, i) => props.rowAt(i)?.runId).filter((id): id is string => Boolean(id));
  return (
    <div className="space-y-4 p-4">
      <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600 dark:text-stone-400">
        <label htmlFor={id}>Charting the first</label>
        <select
          id={id}
          value={count}
          onChange={(e) => setCount(Number(e.target.value))}
          className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm dark:border-stone-700 dark:bg-stone-900"
        >
          {CHOICES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span>of {props.total.toLocaleString()} runs in view, in the table&apos;s order: filter or sort to choose others.</span>
      </p>
      <RunsCharts slug={props.slug} runIds={runIds} primaryKey={props.primaryKey} canSaveLayout={props.canSaveLayout} />
    </div>
  );
}
