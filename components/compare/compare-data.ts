import type { CompareKey, CompareRun } from "@/server/services/tracking/compare";

/**
 * Pure helpers of the compare page: reading the run list from the URL, "only differences", which
 * metric value is best, typing the axes of the parallel-coordinates and scatter plots, and the words
 * of tooltips. No React, no ECharts: unit-tested in tests/unit/compare-data.test.ts.
 */

/** The run ids of `?runs=a,b,c` (or repeated `runs`), in order, without blanks or repeats. */
export function parseRunIds(raw: string | string[] | undefined): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw ?? ""]).flatMap((value) => value.split(","));
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const part of parts) {
    const id = part.trim();
    const canonical = id.toLowerCase().replaceAll("-", "");
    if (!id || seen.has(canonical)) continue;
    seen.add(canonical);
    ids.push(id);
  }
  return ids;
}

/** The compare page's address for a set of runs. */
export const compareHref = (slug: string, runIds: string[]) => `/p/${slug}/compare?runs=${runIds.map(encodeURIComponent).join(",")}`;

/** Whether the runs disagree on a key; a run without the key differs from one with it. */
export function valuesDiffer(values: readonly (string | undefined)[]): boolean {
  return values.some((value) => value !== values[0]);
}

/** Above this many keys a side-by-side table starts with only the keys that differ. */
const ONLY_DIFFERENCES_FROM = 8;

export const onlyDifferencesByDefault = (keyCount: number) => keyCount > ONLY_DIFFERENCES_FROM;

export type Goal = "min" | "max";

// Key fragments of metrics where smaller is better; anything else is taken as "higher is better".
const LOWER_IS_BETTER =
  /(loss|err(or)?s?\b|error|mse|mae|rmse|mape|smape|perplexity|ppl\b|latency|duration|runtime|(^|[/_.-])time|seconds|wer\b|cer\b|fpr\b|fnr\b|brier|nll\b|regret|distance|miss)/i;

/**
 * Whether lower or higher values of a metric are better, guessed from its name; the primary
 * metric's goal wins. MLflow's `system/*` metrics (CPU, memory, …) have no better side: null.
 */
export function goalOf(key: string, primary?: { key: string; goal: Goal } | null): Goal | null {
  if (primary && primary.key === key) return primary.goal;
  if (key.startsWith("system/")) return null;
  return LOWER_IS_BETTER.test(key) ? "min" : "max";
}

/** The next setting of a row's goal toggle: lower is better, higher is better, no best. */
export const nextGoal = (goal: Goal | null): Goal | null => (goal === "min" ? "max" : goal === "max" ? null : "min");

/**
 * The positions of the best values of a row (all of them when tied), or none when fewer than two
 * runs have a finite value or when every run has the same one: there is no winner to point at.
 */
export function bestIndexes(values: readonly (number | undefined)[], goal: Goal | null): Set<number> {
  if (!goal) return new Set();
  const finite = values.map((v, i) => ({ v, i })).filter((e): e is { v: number; i: number } => e.v !== undefined && Number.isFinite(e.v));
  if (finite.length < 2) return new Set();
  const best = goal === "min" ? Math.min(...finite.map((e) => e.v)) : Math.max(...finite.map((e) => e.v));
  const winners = finite.filter((e) => e.v === best);
  if (winners.length === finite.length) return new Set();
  return new Set(winners.map((e) => e.i));
}

/** Metric keys to chart first: those every run logged, the primary metric first and `system/*` last. */
export function defaultChartKeys(keys: readonly CompareKey[], runCount: number, primaryKey?: string | null, count = 4): string[] {
  const rank = (k: CompareKey) => [k.key === primaryKey ? 0 : 1, k.runCount === runCount ? 0 : 1, k.key.startsWith("system/") ? 1 : 0, -k.runCount] as const;
  const sorted = [...keys].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return sorted.slice(0, count).map((k) => k.key);
}

/** A column of the plots: a param (text, maybe numeric) or a metric's latest value. */
export type Column = { kind: "param" | "metric"; key: string };

export const columnId = (c: Column) => `${c.kind === "param" ? "params" : "metrics"}.${c.key}`;

export function columnOfId(id: string): Column | null {
  if (id.startsWith("params.")) return { kind: "param", key: id.slice("params.".length) };
  if (id.startsWith("metrics.")) return { kind: "metric", key: id.slice("metrics.".length) };
  return null;
}

/** Each run's value of a column, in run order: a param's text, a metric's latest value, or undefined. */
export function columnValues(runs: readonly CompareRun[], column: Column): (string | number | undefined)[] {
  return runs.map((run) =>
    column.kind === "param" ? run.params.find((p) => p.key === column.key)?.value : run.metrics.find((m) => m.key === column.key)?.value,
  );
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A value as a finite number: metric values as they are, params only when the whole text is a number. */
export function asNumber(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const text = value.trim();
  if (!NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** The text of a value shown on a category axis; a missing value is its own category. */
export const MISSING = "(none)";

export type Axis = { type: "value"; min: number; max: number; positive: boolean } | { type: "category"; categories: string[] };

/**
 * How a column is drawn on an axis: numeric when every value present is a finite number (missing
 * values aside), else categorical, with its distinct values in natural order ("2" before "10") and
 * the missing category last. A column with no value at all is categorical with the missing category.
 */
export function axisOf(values: readonly (string | number | undefined)[]): Axis {
  const present = values.filter((v) => v !== undefined);
  const numbers = present.map(asNumber);
  if (present.length > 0 && numbers.every((n) => n !== null)) {
    const finite = numbers as number[];
    return { type: "value", min: Math.min(...finite), max: Math.max(...finite), positive: finite.every((n) => n > 0) };
  }
  const categories = [...new Set(present.map((v) => (typeof v === "number" ? formatNumber(v) : v)))].sort(naturalOrder);
  if (present.length < values.length) categories.push(MISSING);
  return { type: "category", categories };
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const naturalOrder = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** A value placed on an axis: a number on a numeric axis, a category's text otherwise; null if it cannot be drawn. */
export function axisValue(axis: Axis, value: string | number | undefined): number | string | null {
  if (axis.type === "value") return asNumber(value);
  if (value === undefined) return MISSING;
  return typeof value === "number" ? formatNumber(value) : value;
}

/** Numbers as tables show them: integers whole, others to six significant digits, huge or tiny ones in exponent form. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(4).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(6)));
}

/** Text for an HTML tooltip (ECharts sets tooltips as HTML): run names and values are user content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
