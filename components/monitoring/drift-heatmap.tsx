"use client";

import { useState, type KeyboardEvent } from "react";
import { formatPsi, hourText, PSI_LEVEL_TEXT, psiColor, psiLevel } from "./format";
import type { HeatmapData } from "./heatmap-data";

const ROW = 20;

/**
 * Feature × time, one cell per bucket of hours coloured by PSI. Hover or focus it and use the arrow
 * keys (Home/End jump to the first or last bucket): the cell's values are read out below the grid.
 */
export function DriftHeatmap({ data }: { data: HeatmapData }) {
  const { columns, buckets, cells, bucketHours } = data;
  const [cursor, setCursor] = useState<{ row: number; col: number }>({ row: 0, col: buckets.length - 1 });
  const move = (row: number, col: number) =>
    setCursor({ row: Math.max(0, Math.min(columns.length - 1, row)), col: Math.max(0, Math.min(buckets.length - 1, col)) });
  const onKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (event.key in step) move(cursor.row + step[event.key]![0], cursor.col + step[event.key]![1]);
    else if (event.key === "Home") move(cursor.row, 0);
    else if (event.key === "End") move(cursor.row, buckets.length - 1);
    else return;
    event.preventDefault();
  };
  const value = cells[cursor.row]?.[cursor.col] ?? null;
  const when = buckets[cursor.col];
  const span = bucketHours === 1 ? "hour" : `${bucketHours} hours`;
  const readout =
    when === undefined
      ? ""
      : `${columns[cursor.row]} · ${span} from ${hourText(when)} · ${value === null ? "no values" : `PSI ${formatPsi(value)} (${PSI_LEVEL_TEXT[psiLevel(value)]})`}`;

  return (
    <div>
      <div className="flex gap-2">
        <ul className="shrink-0 text-right text-xs text-stone-600 dark:text-stone-400" aria-hidden>
          {columns.map((c) => (
            <li key={c} className="truncate leading-5" style={{ height: ROW, maxWidth: 140 }} title={c}>
              {c}
            </li>
          ))}
        </ul>
        <div
          role="group"
          tabIndex={0}
          aria-label={`Drift heatmap of ${columns.length} columns over ${buckets.length} ${span === "hour" ? "hours" : `buckets of ${span}`}; use the arrow keys to read cells`}
          aria-describedby="drift-heatmap-readout"
          onKeyDown={onKeyDown}
          className="min-w-0 flex-1 rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
        >
          <svg viewBox={`0 0 ${buckets.length} ${columns.length}`} preserveAspectRatio="none" className="block w-full" style={{ height: columns.length * ROW }}>
            {cells.map((row, r) =>
              row.map((psi, c) => (
                <rect
                  key={`${r}-${c}`}
                  x={c}
                  y={r}
                  width={1}
                  height={1}
                  fill={psi === null ? "transparent" : psiColor(psi)}
                  className={psi === null ? "fill-stone-100 dark:fill-stone-800" : undefined}
                  onMouseEnter={() => setCursor({ row: r, col: c })}
                />
              )),
            )}
            <rect
              x={cursor.col}
              y={cursor.row}
              width={1}
              height={1}
              fill="none"
              stroke="currentColor"
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              className="text-stone-900 dark:text-white"
            />
          </svg>
          <div className="mt-1 flex justify-between text-[11px] text-stone-500">
            <span>{buckets[0] !== undefined && hourText(buckets[0])}</span>
            <span>{buckets.at(-1) !== undefined && hourText(buckets.at(-1)!)}</span>
          </div>
        </div>
      </div>
      <p id="drift-heatmap-readout" aria-live="polite" className="mt-2 min-h-5 text-sm tabular-nums text-stone-700 dark:text-stone-300">
        {readout}
      </p>
    </div>
  );
}
