"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import { chartTitle, type MetricEntry } from "./chart-sections";

const FIRST = 24;
const MORE = 240;

const formatValue = (v: number | null) => (v === null ? "—" : Number.isInteger(v) ? v.toLocaleString() : v.toPrecision(6));

/** Metrics logged once (a final score, an autolog run's training_score): values, not charts of one dot. */
export function MetricValues({ values }: { values: readonly MetricEntry[] }) {
  const [shown, setShown] = useState(FIRST);
  return (
    <div className="space-y-2">
      <dl className="grid grid-cols-[repeat(auto-fill,minmax(12rem,1fr))] gap-2">
        {values.slice(0, shown).map((m) => (
          <div key={m.key} className="min-w-0 rounded-md border border-stone-200 px-3 py-2 dark:border-stone-800">
            <dt className="truncate font-mono text-xs text-stone-500 dark:text-stone-400" title={m.key}>
              {chartTitle(m.key)}
            </dt>
            <dd className="text-base font-medium tabular-nums">{formatValue(m.latest)}</dd>
          </div>
        ))}
      </dl>
      {values.length > shown && (
        <Button size="sm" variant="ghost" onClick={() => setShown((n) => n + MORE)}>
          Show {Math.min(MORE, values.length - shown).toLocaleString()} more of {(values.length - shown).toLocaleString()}
        </Button>
      )}
    </div>
  );
}
