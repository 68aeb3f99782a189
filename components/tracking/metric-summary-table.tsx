"use client";

import { Search } from "lucide-react";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { Input } from "../ui/input";
import { ScrollingTable } from "../ui/scrolling-table";
import { Td, Th } from "../ui/table";

export type MetricSummary = { key: string; latest: number | null; min: number | null; max: number | null; step: number; count: number };

const ROW_HEIGHT = 37;
const SEARCH_FROM = 20;
const number = (v: number | null) => (v === null ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** Every metric of a run with its latest value, range and points, searchable and windowed for wide runs. */
export function MetricSummaryTable({ metrics }: { metrics: readonly MetricSummary[] }) {
  const searchId = useId();
  const [search, setSearch] = useState("");
  const needle = useDeferredValue(search).trim().toLowerCase();
  const rows = useMemo(() => (needle ? metrics.filter((m) => m.key.toLowerCase().includes(needle)) : metrics), [metrics, needle]);
  if (!metrics.length) return <p className="px-5 py-4 text-sm text-stone-500">No metrics logged.</p>;
  return (
    <div>
      {metrics.length >= SEARCH_FROM && (
        <div className="flex items-center gap-3 px-5 pb-3">
          <label htmlFor={searchId} className="sr-only">
            Search the metrics table
          </label>
          <div className="relative w-full max-w-xs">
            <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
            <Input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search keys" className="pl-8" />
          </div>
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
