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

/**
 * The columns shown when the view names none: status, start, duration, user (and experiment across
 * a project), then the first few metrics of the runs in view.
 */
export function defaultColumns(options: { acrossExperiments: boolean; metricKeys: readonly string[] }): string[] {
  return [
    ...(options.acrossExperiments ? ["attributes.experiment_id"] : []),
    "attributes.status",
    "attributes.start_time",
    "attributes.duration",
    "attributes.user_id",
    ...options.metricKeys.slice(0, 3).map((key) => columnId("metrics", key)),
  ];
}
