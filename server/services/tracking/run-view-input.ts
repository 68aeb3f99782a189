import { z } from "zod";
import { RUN_STATUSES } from "../../db/schema";
import { invalid } from "../../errors";
import { FilterSyntaxError, parseFilter, RUN_FILTER } from "../../search/filter";
import { experimentNumberOf } from "./ids";
import { int64 } from "./limits";
import { parseColumnId, type ColumnKind } from "./run-columns";
import type { RunView, ViewType } from "./search";

/**
 * The input every procedure of the runs table shares: which runs are in view, and the columns and
 * sort terms it names. Validated here once, for the table, its default columns and the CSV export.
 */

export type Column = { id: string; kind: ColumnKind; key: string };

/** A column id, `metrics.<key>`, `params.<key>`, `tags.<key>` or `attributes.<name>`, or null. */
export function columnOf(id: string): Column | null {
  const column = parseColumnId(id);
  return column && { id, ...column };
}

// Kept a string (parsed again by `columnOf`), so validating twice, as router and service do, is harmless.
export const columnField = z
  .string()
  .max(300)
  .refine((id) => columnOf(id) !== null, {
    error: (issue) => `Unknown column '${String(issue.input)}': use metrics.<key>, params.<key>, tags.<key> or attributes.<name>`,
  });
export const columnsOf = (ids: string[]) => ids.map((id) => columnOf(id)!);
export const sortOf = (terms: { column: string; desc: boolean }[]) => terms.map((t) => ({ column: columnOf(t.column)!, desc: t.desc }));

const LIFECYCLES: Record<"active" | "deleted" | "all", ViewType> = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" };

/** Which runs are in view; the same fields for every procedure of the table and for the export. */
export const runViewSchema = z.object({
  experimentIds: z.array(z.string().max(20)).max(100).default([]),
  filter: z.string().max(10_000).default(""),
  lifecycle: z.enum(["active", "deleted", "all"]).default("active"),
  statuses: z.array(z.enum(RUN_STATUSES)).max(RUN_STATUSES.length).default([]),
  /** The people who logged the runs (user ids), not the login names MLflow clients report. */
  authorIds: z.array(z.guid("must be a user id")).max(50).default([]),
  /** Epoch milliseconds, inclusive. */
  startedFrom: int64.optional(),
  /** Epoch milliseconds, exclusive. */
  startedBefore: int64.optional(),
});
export type RunViewInput = z.input<typeof runViewSchema>;

export const sortField = z.object({ column: columnField, desc: z.boolean().default(false) });

/** The filter is the client's text: a syntax error names the field, and its message the position. */
function parseViewFilter(text: string) {
  try {
    return parseFilter(text, RUN_FILTER);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalid(error.message, { filter: error.message });
    throw error;
  }
}

type ParsedView = z.output<typeof runViewSchema>;

/** The run view of validated input; null when it names experiments none of which can exist. */
export function runViewOf(data: ParsedView, options: { ignoreAuthors?: boolean } = {}): RunView | null {
  const filter = parseViewFilter(data.filter);
  const numbers = data.experimentIds.map(experimentNumberOf).filter((n): n is number => n !== null);
  if (data.experimentIds.length && !numbers.length) return null;
  return {
    experimentNumbers: numbers,
    lifecycle: LIFECYCLES[data.lifecycle],
    filter,
    statuses: data.statuses,
    authorIds: options.ignoreAuthors ? [] : data.authorIds,
    startedFrom: data.startedFrom,
    startedBefore: data.startedBefore,
  };
}
