"use client";

import { useDeferredValue, useMemo, useState } from "react";
import { SearchField } from "../ui/search-field";
import { ScrollingTable } from "../ui/scrolling-table";
import { Td, Th } from "../ui/table";

export type MetricSummary = { key: string; latest: number | null; min: number | null; max: number | null; step: number; count: number };

const ROW_HEIGHT = 37;
const SEARCH_FROM = 20;
const number = (v: number | null) => (v === null ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** Every metric of a run with its latest value, range and points, searchable and windowed for wide runs. */
export function MetricSummaryTable({ metrics }: { metrics: readonly MetricSummary[] }) {
  const [search, setSearch] = useState("");
  const needle = useDeferredValue(search).trim().toLowerCase();
  const rows = useMemo(() => (needle ? metrics.filter((m) => m.key.toLowerCase().includes(needle)) : metrics), [metrics, needle]);
  if (!metrics.length) return <p className="px-5 py-4 text-sm text-stone-500">No metrics logged.</p>;
  return (
    <div>
      {metrics.length >= SEARCH_FROM && (
        <div className="flex items-center gap-3 px-5 pb-3">
          <SearchField label="Search the metrics table" value={search} onChange={setSearch} placeholder="Search keys" />
          {needle && (
            <p className="text-sm text-stone-500" aria-live="polite">
              {rows.length.toLocaleString()} of {metrics.length.toLocaleString()}
            </p>
          )}
        </div>
      )}
      <ScrollingTable
        label="Metrics table"
        rows={rows}
        rowHeight={ROW_HEIGHT}
        header={
          <tr>
            <Th className="w-2/5">Key</Th>
            <Th className="text-right">Latest</Th>
            <Th className="text-right">Min</Th>
            <Th className="text-right">Max</Th>
            <Th className="text-right">Step</Th>
            <Th className="text-right">Points</Th>
          </tr>
        }
        renderRow={(m) => (
          <tr key={m.key} style={{ height: ROW_HEIGHT }}>
            <Td className="truncate py-0 font-mono text-xs" title={m.key}>
              {m.key}
            </Td>
            <Td className="py-0 text-right tabular-nums">{number(m.latest)}</Td>
            <Td className="py-0 text-right tabular-nums">{number(m.min)}</Td>
            <Td className="py-0 text-right tabular-nums">{number(m.max)}</Td>
            <Td className="py-0 text-right tabular-nums">{m.step}</Td>
            <Td className="py-0 text-right tabular-nums">{m.count}</Td>
          </tr>
        )}
      />
    </div>
  );
}
