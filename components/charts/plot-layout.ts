import type uPlot from "uplot";
import { alignColumns, plotColumns, smallestPositive, type RunTable } from "./chart-data";
import { FALLBACK_COLOR } from "./palette";

export type Plot = {
  data: uPlot.AlignedData;
  series: { runId: string; role: "hi" | "lo" | "raw" | "line" }[];
  /** The stroke colour of each entry of `series`. */
  colors: string[];
  visible: RunTable[];
  /** Changes whenever the series layout changes (then the uPlot instance is rebuilt, not just fed data). */
  layout: string;
  /** Whether some value cannot be drawn: NaN or ±Infinity; ≤ 0 on a log scale. */
  nonFinite: boolean;
  nonPositive: boolean;
};

/**
 * The columns uPlot draws for the shown runs on one shared x axis: per run, the min/max band edges
 * (when bucketed), the raw line under a smoothed one (when smoothing), and the line itself.
 */
export function buildPlot(tables: RunTable[], options: { hidden: ReadonlySet<string>; log: boolean; smoothing: number; colorOf: Map<string, string> }): Plot {
  const visible = tables.filter((t) => !options.hidden.has(t.runId) && t.x.length > 0);
  const logFloor = options.log ? smallestPositive(visible) : undefined;
  const series: Plot["series"] = [];
  const columns = visible.map((table) => {
    const cols = plotColumns(table, { log: options.log, smoothing: options.smoothing, logFloor });
    const out: (number | null)[][] = [];
    if (cols.hi && cols.lo) {
      out.push(cols.hi, cols.lo);
      series.push({ runId: table.runId, role: "hi" }, { runId: table.runId, role: "lo" });
    }
    if (options.smoothing > 0) {
      out.push(cols.raw);
      series.push({ runId: table.runId, role: "raw" });
    }
    out.push(cols.line);
    series.push({ runId: table.runId, role: "line" });
    return out;
  });
  const aligned = alignColumns(
    visible.map((t) => t.x),
    columns,
  );
  let nonFinite = false;
  let nonPositive = false;
  for (const t of visible) {
    for (const column of [t.value, t.min, t.max]) {
      for (const v of column) {
        if (v === null) continue;
        if (!Number.isFinite(v)) nonFinite = true;
        else if (options.log && v <= 0) nonPositive = true;
      }
    }
  }
  return {
    data: [aligned.x, ...aligned.columns.flat()] as uPlot.AlignedData,
    series,
    visible,
    layout: series.map((s) => `${s.runId}:${s.role}`).join(","),
    colors: series.map((s) => options.colorOf.get(s.runId) ?? FALLBACK_COLOR),
    nonFinite,
    nonPositive,
  };
}
