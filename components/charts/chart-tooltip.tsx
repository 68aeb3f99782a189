"use client";

import { formatDuration, formatExact, nearestIndex, plotColumns, type RunTable, type XMode } from "./chart-data";
import type { Hover } from "./plot-options";

const dateTime = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};
const integer = new Intl.NumberFormat("en");

/**
 * The values under the cursor, one block per shown run: a bucket shows its last value with its
 * span, point count, min and max; a point its step and time; with smoothing, the smoothed value too.
 */
export function ChartTooltip(props: { hover: Hover; tables: RunTable[]; colorOf: Map<string, string>; xMode: XMode; smoothing: number; log: boolean }) {
  const { hover, tables, xMode } = props;
  const rows = tables
    .map((table) => {
      const i = nearestIndex(table.x, hover.x);
      const x = table.x[i]!;
      const near = Math.abs(x - hover.x) <= hover.tolerance || (hover.x >= table.firstX[0]! && hover.x <= table.lastX.at(-1)!);
      return near && i >= 0 ? { table, i } : null;
    })
    .filter((r) => r !== null);
  if (!rows.length) return null;
  const smoothed =
    props.smoothing > 0 ? new Map(rows.map(({ table, i }) => [table.runId, plotColumns(table, { log: props.log, smoothing: props.smoothing }).line[i]])) : null;
  const place = hover.left > 220 ? { right: `calc(100% - ${hover.left - 12}px)` } : { left: hover.left + 12 };
  const xText = (table: RunTable, i: number) => {
    const count = table.count[i]!;
    if (count > 1) {
      const [a, b] = [table.firstX[i]!, table.lastX[i]!];
      const span =
        xMode === "step"
          ? `steps ${integer.format(a)}–${integer.format(b)}`
          : xMode === "wall"
            ? `${dateTime(a * 1000)} – ${dateTime(b * 1000).slice(11)}`
            : `${formatDuration(a)} – ${formatDuration(b)}`;
      return `${span} · ${integer.format(count)} points`;
    }
    const time = xMode === "relative" ? `+${formatDuration(table.x[i]!)}` : dateTime(table.timestamp[i]!);
    return `step ${integer.format(table.step[i]!)} · ${time}`;
  };
  return (
    <div
      aria-hidden
      className="pointer-events-none absolute z-10 max-w-xs min-w-48 rounded-md border border-stone-200 bg-white/95 px-2.5 py-2 text-xs shadow-lg backdrop-blur-sm dark:border-stone-700 dark:bg-stone-900/95"
      style={{ top: Math.max(0, hover.top - 16), ...place }}
    >
      {rows.map(({ table, i }) => (
        <div key={table.runId} className="not-first:mt-1.5">
          <div className="flex items-center gap-1.5">
            <span className="size-2 shrink-0 rounded-full" style={{ background: props.colorOf.get(table.runId) }} />
            {tables.length > 1 && <span className="min-w-0 truncate text-stone-600 dark:text-stone-300">{table.runName}</span>}
            <span className="ml-auto font-mono font-medium text-stone-900 tabular-nums dark:text-stone-100">
              {table.count[i]! > 1 && <span className="mr-1 font-sans font-normal text-stone-500 dark:text-stone-400">last</span>}
              {formatExact(table.value[i]!)}
            </span>
          </div>
          <div className="mt-0.5 text-[11px] text-stone-500 dark:text-stone-400">{xText(table, i)}</div>
          {(table.count[i]! > 1 || (smoothed && smoothed.get(table.runId) != null)) && (
            <dl className="mt-0.5 grid grid-cols-[auto_1fr] gap-x-2 text-[11px] text-stone-500 dark:text-stone-400">
              {table.count[i]! > 1 && (
                <>
                  <dt>max</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(table.max[i]!)}</dd>
                  <dt>min</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(table.min[i]!)}</dd>
                </>
              )}
              {smoothed && smoothed.get(table.runId) != null && (
                <>
                  <dt>smoothed</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(smoothed.get(table.runId)!)}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      ))}
    </div>
  );
}
