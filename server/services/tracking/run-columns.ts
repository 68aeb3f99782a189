/**
 * The column vocabulary of the runs table, shared by the table in the browser, its URL state, the
 * service that fetches columns and the CSV export. Pure on purpose (no React, no database, no
 * framework), so client components may import it: keep it free of server-only imports.
 *
 * A column id is `<kind>.<key>`: `metrics.acc`, `params.lr`, `tags.team` or `attributes.status`.
 */

const COLUMN_KINDS = ["attributes", "metrics", "params", "tags"] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** Run attributes a column may show; `run_name` is the pinned first column, always shown. */
export const ATTRIBUTE_KEYS = ["run_name", "status", "start_time", "end_time", "duration", "user_id", "experiment_id", "run_id"] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

/** Splits a column id at its first dot; null for anything that is not a column. */
export function parseColumnId(id: string): { kind: ColumnKind; key: string } | null {
  const dot = id.indexOf(".");
  if (dot <= 0) return null;
  const kind = id.slice(0, dot) as ColumnKind;
  const key = id.slice(dot + 1);
  if (!COLUMN_KINDS.includes(kind) || key === "") return null;
  if (kind === "attributes" && !(ATTRIBUTE_KEYS as readonly string[]).includes(key)) return null;
  return { kind, key };
}

export const columnId = (kind: ColumnKind, key: string) => `${kind}.${key}`;

/** The header label of each run attribute a column may show. */
export const ATTRIBUTE_LABELS = {
  run_name: "Run",
  status: "Status",
  start_time: "Started",
  end_time: "Ended",
  duration: "Duration",
  user_id: "User",
  experiment_id: "Experiment",
  run_id: "Run ID",
} as const satisfies Record<AttributeKey, string>;

/** The short header of a column: the key for metrics, params and tags, a label for attributes. */
export function columnLabel(id: string): string {
  const column = parseColumnId(id);
  if (!column) return id;
  return column.kind === "attributes" ? ATTRIBUTE_LABELS[column.key as AttributeKey] : column.key;
}

const RECENT_METRICS = 3;
const VARYING_PARAMS = 3;

/** MLflow's system metrics (CPU, memory, GPU): logged by every run, rarely what a table compares. */
const isSystemMetric = (key: string) => key.startsWith("system/");

/** What the default columns are chosen from; the service finds these for the runs in view. */
export type DefaultColumnSources = {
  /** Whether the runs may come from several experiments (then the experiment is a column). */
  acrossExperiments: boolean;
  /** The project's primary metric, if it has one. */
  primaryMetric: string | null;
  /** The `metrics.` and `params.` column ids the filter and the sort name, in that order. */
  mentioned: readonly string[];
  /** Metric keys of the latest runs, most recently logged first. */
  recentMetrics: readonly string[];
  /** Param keys of the latest runs, most distinct values first (only those that vary). */
  varyingParams: readonly string[];
};

/**
 * The columns shown when the view names none: status, start, duration, user (and experiment across
 * experiments); then the primary metric, the keys the filter and sort name, a few recently logged
 * metrics (system metrics only when there is nothing else) and the params that vary most.
 */
export function defaultColumns(sources: DefaultColumnSources): string[] {
  const ordinary = sources.recentMetrics.filter((key) => !isSystemMetric(key));
  const mentionedMetric = sources.mentioned.some((id) => id.startsWith("metrics."));
  const recent = ordinary.length || sources.primaryMetric || mentionedMetric ? ordinary : sources.recentMetrics;
  const rest = [
    ...recent
      .filter((key) => key !== sources.primaryMetric)
      .slice(0, RECENT_METRICS)
      .map((key) => columnId("metrics", key)),
    ...sources.varyingParams.slice(0, VARYING_PARAMS).map((key) => columnId("params", key)),
  ];
  // A mentioned key that is a default anyway keeps its place, so sorting by a column does not move it.
  const mentioned = sources.mentioned.filter((id) => !rest.includes(id));
  return [
    ...new Set([
      ...(sources.acrossExperiments ? ["attributes.experiment_id"] : []),
      "attributes.status",
      "attributes.start_time",
      "attributes.duration",
      "attributes.user_id",
      ...(sources.primaryMetric ? [columnId("metrics", sources.primaryMetric)] : []),
      ...mentioned,
      ...rest,
    ]),
  ];
}
