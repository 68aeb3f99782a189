import type { ChartSeries } from "@/server/services/tracking/chart-series";

/**
 * Pure transforms between `chart.series` replies and what the chart draws: x-axis modes, merging
 * points that share an x, smoothing, log-scale clamping, aligning several runs on one x array, and
 * the words of captions and tooltips. No React, no uPlot: unit-tested in tests/unit/chart-data.test.ts.
 */

/** Step, wall-clock time, or time since the run started. */
export type XMode = "step" | "wall" | "relative";

/** The server axis a mode reads: both time modes read wall time (relative is `timestamp - startTime`). */
export const serverAxisOf = (mode: XMode): "step" | "time" => (mode === "step" ? "step" : "time");

/**
 * A chart x value of a point. Time modes are in seconds (uPlot's time scale counts seconds, and
 * seconds keep relative axes readable); steps stay steps.
 */
export function displayX(mode: XMode, step: number, timestamp: number, startTime: number): number {
  if (mode === "step") return step;
  if (mode === "wall") return timestamp / 1000;
  return (timestamp - startTime) / 1000;
}

/**
 * A visible window (in display units) as the server's range: whole steps or milliseconds, widened
 * outwards so points on the edges stay in; relative windows are read per run on the server.
 */
export function serverRangeOf(mode: XMode, zoom: { min: number; max: number }): { min: number; max: number; relative: boolean } {
  const scale = mode === "step" ? 1 : 1000;
  return { min: Math.floor(zoom.min * scale), max: Math.ceil(zoom.max * scale), relative: mode === "relative" };
}

/**
 * One run's drawable rows, ascending and unique in x. Each row is a bucket of the server, or the
 * raw points that share an x (several values logged at one step, say): `value` is the last of them
 * (exact, possibly NaN or ±Infinity), `min`/`max` their range without NaN, `count` how many.
 */
export type RunTable = {
  runId: string;
  runName: string;
  startTime: number;
  x: number[];
  value: number[];
  min: (number | null)[];
  max: (number | null)[];
  count: number[];
  /** Step and wall time (ms) of the last point of the row, and the x extent (display units) of its points. */
  step: number[];
  timestamp: number[];
  firstX: number[];
  lastX: number[];
  /** Whether any row stands for more than one point (then the chart draws a min/max band). */
  banded: boolean;
};

const finiteOrNull = (v: number | null | undefined): number | null => (v != null && Number.isFinite(v) ? v : null);

/** Turns a reply's series into rows in display x; raw points sharing an x become one row with its min and max. */
export function toRunTable(series: ChartSeries, mode: XMode): RunTable {
  const table: RunTable = {
    runId: series.runId,
    runName: series.runName,
    startTime: series.startTime,
    x: [],
    value: [],
    min: [],
    max: [],
    count: [],
    step: [],
    timestamp: [],
    firstX: [],
    lastX: [],
    banded: false,
  };
  const x = (step: number, timestamp: number) => displayX(mode, step, timestamp, series.startTime);
  if (series.exact) {
    const { step, timestamp, value } = series.points;
    for (let i = 0; i < value.length; i++) {
      const xi = x(step[i]!, timestamp[i]!);
      const v = value[i]!;
      const n = table.x.length - 1;
      if (n >= 0 && table.x[n] === xi) {
        // Same x as the previous point: the server's order makes this one the later, so it is the row's value.
        table.value[n] = v;
        table.step[n] = step[i]!;
        table.timestamp[n] = timestamp[i]!;
        table.lastX[n] = xi;
        table.count[n]! += 1;
        if (!Number.isNaN(v)) {
          table.min[n] = table.min[n] === null ? v : Math.min(table.min[n]!, v);
          table.max[n] = table.max[n] === null ? v : Math.max(table.max[n]!, v);
        }
        table.banded = true;
        continue;
      }
      table.x.push(xi);
      table.value.push(v);
      table.min.push(Number.isNaN(v) ? null : v);
      table.max.push(Number.isNaN(v) ? null : v);
      table.count.push(1);
      table.step.push(step[i]!);
      table.timestamp.push(timestamp[i]!);
      table.firstX.push(xi);
      table.lastX.push(xi);
    }
    return table;
  }
  const b = series.points;
  // Bucket extents are in the server's x: steps, or wall-clock milliseconds.
  const toDisplay = (serverX: number) => (mode === "step" ? serverX : mode === "wall" ? serverX / 1000 : (serverX - series.startTime) / 1000);
  for (let i = 0; i < b.count.length; i++) {
    const xi = x(b.lastStep[i]!, b.lastTimestamp[i]!);
    table.x.push(xi);
    table.value.push(b.last[i]!);
    table.min.push(b.min[i]!);
    table.max.push(b.max[i]!);
    table.count.push(b.count[i]!);
    table.step.push(b.lastStep[i]!);
    table.timestamp.push(b.lastTimestamp[i]!);
    table.firstX.push(toDisplay(b.x0[i]!));
    table.lastX.push(toDisplay(b.x1[i]!));
    if (b.count[i]! > 1) table.banded = true;
  }
  return table;
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled towards
 * zero). `weight` 0 returns the values; gaps (null) stay gaps and do not reset the average.
 */
export function ema(values: (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    n += 1;
    last = last * w + (1 - w) * v;
    return last / (1 - w ** n);
  });
}

/** What a run contributes to the plot: line (maybe smoothed), raw line, band edges; null where nothing is drawn. */
export type PlotColumns = { line: (number | null)[]; raw: (number | null)[]; lo: (number | null)[] | null; hi: (number | null)[] | null };

/**
 * The plotted columns of a run. NaN and ±Infinity cannot be drawn and become gaps (the tooltip
 * still shows them). On a log scale values ≤ 0 are gaps too, and a band's lower edge ≤ 0 is clamped
 * to `logFloor` (the smallest positive value in view) so the band still reaches down to the axis.
 */
export function plotColumns(table: RunTable, options: { log: boolean; smoothing: number; logFloor?: number }): PlotColumns {
  const drawable = (v: number | null) => {
    const f = finiteOrNull(v);
    return f !== null && options.log && f <= 0 ? null : f;
  };
  const raw = table.value.map(drawable);
  const line = ema(raw, options.smoothing);
  if (!table.banded) return { line, raw, lo: null, hi: null };
  const hi = table.max.map(drawable);
  const lo = table.min.map((v, i) => {
    const f = finiteOrNull(v);
    if (f === null) return null;
    if (!options.log || f > 0) return f;
    return hi[i] === null ? null : (options.logFloor ?? null);
  });
  return { line, raw, lo, hi };
}

/** The smallest positive finite value among the tables (for clamping bands on a log scale), or undefined. */
export function smallestPositive(tables: RunTable[]): number | undefined {
  let best = Number.POSITIVE_INFINITY;
  for (const t of tables) {
    for (const column of [t.value, t.min, t.max]) {
      for (const v of column) if (v !== null && v > 0 && v < best) best = v;
    }
  }
  return Number.isFinite(best) ? best : undefined;
}

/**
 * Puts several runs' columns on one ascending x array, as uPlot wants: a run has `undefined` at
 * another run's x (uPlot skips those and joins the line), and keeps `null` for its real gaps.
 */
export function alignColumns(xs: number[][], columns: (number | null)[][][]): { x: number[]; columns: (number | null | undefined)[][][] } {
  const all = [...new Set(xs.flat())].sort((a, b) => a - b);
  const index = new Map(all.map((x, i) => [x, i]));
  return {
    x: all,
    columns: columns.map((runColumns, r) =>
      runColumns.map((column) => {
        const out: (number | null | undefined)[] = new Array(all.length).fill(undefined);
        xs[r]!.forEach((x, i) => (out[index.get(x)!] = column[i]));
        return out;
      }),
    ),
  };
}

/** Index of the row whose x is nearest to `x` (x ascending), or -1 for an empty array. */
export function nearestIndex(xs: number[], x: number): number {
  if (!xs.length) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1]! - x) <= Math.abs(xs[lo]! - x)) return lo - 1;
  return lo;
}

const count = new Intl.NumberFormat("en");
const plural = (n: number, one: string, many = `${one}s`) => `${count.format(n)} ${n === 1 ? one : many}`;

/**
 * The caption under a chart: how many points exist, how many are in view, and how they are shown,
 * e.g. "1,000,000 points, shown as 1,000 buckets with min/max band".
 */
export function describeSeries(runs: ChartSeries[], zoomed: boolean): string {
  const total = runs.reduce((n, r) => n + r.totalPoints, 0);
  const inView = runs.reduce((n, r) => n + r.pointsInRange, 0);
  const buckets = runs.reduce((n, r) => n + (r.exact ? 0 : r.points.count.length), 0);
  const exactPoints = runs.reduce((n, r) => n + (r.exact ? r.pointsInRange : 0), 0);
  const prefix = runs.length > 1 ? `${plural(runs.length, "run")}, ` : "";
  if (!total) return `${prefix}no points logged`;
  const amount = zoomed ? `${count.format(inView)} of ${plural(total, "point")} in view` : plural(total, "point");
  if (!buckets) return `${prefix}${amount}${zoomed || inView ? ", all shown" : ""}`;
  const shown = exactPoints
    ? `${plural(buckets, "bucket")} with min/max band and ${plural(exactPoints, "exact point")}`
    : `${plural(buckets, "bucket")} with min/max band`;
  return `${prefix}${amount}, shown as ${shown}`;
}

/** A number exactly as logged (shortest round-trip form), with NaN and infinities spelled out. */
export function formatExact(v: number | null): string {
  if (v === null) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+∞";
  if (v === Number.NEGATIVE_INFINITY) return "−∞";
  return String(v);
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });

/** Short tick labels: 1.2M, 0.0031, 2.5e-7. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 10_000) return compact.format(v);
  if (a < 1e-3) return v.toExponential(1).replace("e-", "e−");
  return String(Number(v.toPrecision(4)));
}

/**
 * Labels for a set of ticks: short (formatTick) when that tells them apart, else with as many
 * significant digits as it takes (deep zooms: 405,850 and 405,855 must not both read "405.85K").
 */
export function formatTicks(splits: (number | null)[]): string[] {
  const labelled = splits.map((v) => (v == null ? "" : formatTick(v)));
  if (isUnique(labelled, splits)) return labelled;
  for (let digits = 5; digits <= 15; digits++) {
    const precise = splits.map((v) => (v == null ? "" : preciseTick(v, digits)));
    if (isUnique(precise, splits)) return precise;
  }
  return splits.map((v) => (v == null ? "" : String(v)));
}

const grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 20 });

function preciseTick(v: number, digits: number): string {
  const rounded = Number(v.toPrecision(digits));
  return Math.abs(rounded) >= 1e-3 && Math.abs(rounded) < 1e15 ? grouped.format(rounded) : rounded.toExponential(digits - 1);
}

function isUnique(labels: string[], splits: (number | null)[]): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < labels.length; i++) {
    if (splits[i] == null) continue;
    if (seen.has(labels[i]!)) return false;
    seen.add(labels[i]!);
  }
  return true;
}

/** Seconds as a compact duration: 45s, 12m 05s, 3h 20m, 2d 4h. Negative durations keep their sign. */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? "−" : "";
  let s = Math.abs(seconds);
  if (s < 1) return `${sign}${Number(s.toFixed(3))}s`;
  s = Math.round(s);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d) return `${sign}${d}d${h ? ` ${h}h` : ""}`;
  if (h) return `${sign}${h}h${m ? ` ${pad(m)}m` : ""}`;
  if (m) return `${sign}${m}m${sec ? ` ${pad(sec)}s` : ""}`;
  return `${sign}${sec}s`;
}

/** Tick increments for the relative-time axis, in seconds: round durations only. */
export const DURATION_INCREMENTS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
  604800, 1209600, 2592000, 7776000, 31536000,
];

/** The label of a mode's axis. */
export const X_LABELS: Record<XMode, string> = { step: "Step", wall: "Wall time", relative: "Relative time" };
