import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { experiments, metricSeries, runParams, runs, runTags, users } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { runIdOf, uuidOfRunId } from "./ids";
import { authorColumns, authorJoin, authorNameExpr, authorOf, type RunAuthor } from "./run-authors";
import { type AttributeKey } from "./run-columns";
import { columnField, columnOf, columnsOf, runViewOf, runViewSchema, sortField, sortOf, type Column } from "./run-view-input";
import { runIdField, type RunStatus } from "./runs";
import { runAttribute, runViewWhere } from "./search";

/**
 * The runs table: windows of runs with only the columns asked for, the people filter's list,
 * aggregates per param or tag value, bulk delete and restore, and the CSV export.
 * Which runs are in view is `runViewWhere`, the same WHERE as MLflow's run search.
 */

export const runsTableInput = runViewSchema.extend({
  columns: z.array(columnField).max(200, "At most 200 columns").default([]),
  sort: z.array(sortField).max(5, "Sort by at most 5 columns").default([]),
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(500, "A window holds at most 500 runs").default(200),
});

export type RunsTableInput = z.input<typeof runsTableInput>;

export type RunsTableRow = {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  /** The person who logged the run, if any. */
  author: RunAuthor | null;
  /** MLflow's `user_id`: the login name the client reported. */
  userId: string;
  startTime: number;
  endTime: number | null;
  deleted: boolean;
  /** The asked-for metric, param and tag columns this run has, by column id. */
  values: Record<string, number | string>;
};

const sideTable = { metrics: metricSeries, params: runParams, tags: runTags } as const;

// A text value that PostgreSQL's numeric accepts without error (the exponent is bounded).
const NUMERIC_TEXT = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,4})?$";

function attributeExpr(key: AttributeKey): SQL {
  switch (key) {
    case "duration":
      return sql`(coalesce(${runs.endTime}, (extract(epoch from now()) * 1000)::bigint) - ${runs.startTime})`;
    case "experiment_id":
      return sql`${experiments.name}`;
    case "run_id":
      return sql`${runs.id}`;
    case "user_id":
      return authorNameExpr;
    default:
      return runAttribute(key);
  }
}

const ordered = (expr: SQL, descending: boolean) => (descending ? sql`${expr} desc nulls last` : sql`${expr} asc nulls last`);

/**
 * One window of the view in a deterministic order: the sort columns (runs missing a value last,
 * whichever the direction; NaN counts as missing; params and tags that are numbers sort as
 * numbers, before text), then newest first, then run id.
 */
async function selectWindow(ctx: ProjectContext, where: SQL, sort: { column: Column; desc: boolean }[], offset: number, limit: number) {
  let query = ctx.db
    .select({
      id: runs.id,
      name: runs.name,
      status: runs.status,
      userName: runs.userName,
      startTime: runs.startTime,
      endTime: runs.endTime,
      deletedAt: runs.deletedAt,
      experimentNumber: experiments.number,
      experimentName: experiments.name,
      ...authorColumns,
    })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .leftJoin(users, authorJoin)
    .$dynamic();
  const orderBy: SQL[] = [];
  sort.forEach(({ column, desc: descending }, i) => {
    if (column.kind === "attributes") {
      orderBy.push(ordered(attributeExpr(column.key as AttributeKey), descending));
      return;
    }
    const side = alias(sideTable[column.kind], `sort_${i}`);
    query = query.leftJoin(side, and(eq(side.runId, runs.id), eq(side.key, column.key)));
    if (column.kind === "metrics") {
      orderBy.push(ordered(sql`nullif(${side.value}, 'NaN'::float8)`, descending));
    } else {
      orderBy.push(ordered(sql`(case when ${side.value} ~ ${NUMERIC_TEXT} then ${side.value}::numeric end)`, descending));
      orderBy.push(ordered(sql`${side.value}`, descending));
    }
  });
  return query
    .where(where)
    .orderBy(...orderBy, desc(runs.startTime), asc(runs.id))
    .offset(offset)
    .limit(limit);
}

/** The asked-for metric, param and tag values of some runs: one query per kind, only those keys. */
async function columnValues(ctx: ProjectContext, runUuids: string[], columns: Column[]) {
  const values = new Map<string, Record<string, number | string>>(runUuids.map((id) => [id, {}]));
  if (!runUuids.length) return values;
  await Promise.all(
    (["metrics", "params", "tags"] as const).map(async (kind) => {
      const keys = [...new Set(columns.filter((c) => c.kind === kind).map((c) => c.key))];
      if (!keys.length) return;
      const table = sideTable[kind];
      const rows = await ctx.db
        .select({ runId: table.runId, key: table.key, value: table.value })
        .from(table)
        .where(and(inArray(table.runId, runUuids), inArray(table.key, keys)));
      for (const row of rows) values.get(row.runId)![`${kind}.${row.key}`] = row.value;
    }),
  );
  return values;
}

type WindowRow = Awaited<ReturnType<typeof selectWindow>>[number];

function presentRow(row: WindowRow, values: Record<string, number | string>): RunsTableRow {
  return {
    runId: runIdOf(row.id),
    runName: row.name,
    experimentId: String(row.experimentNumber),
    experimentName: row.experimentName,
    status: row.status,
    author: authorOf(row),
    userId: row.userName,
    startTime: row.startTime,
    endTime: row.endTime,
    deleted: row.deletedAt !== null,
    values,
  };
}

async function windowOf(ctx: ProjectContext, where: SQL, columns: Column[], sort: { column: Column; desc: boolean }[], offset: number, limit: number) {
  const rows = await selectWindow(ctx, where, sort, offset, limit);
  const values = await columnValues(
    ctx,
    rows.map((r) => r.id),
    columns,
  );
  return rows.map((row) => presentRow(row, values.get(row.id)!));
}

/**
 * A window of the runs in view (at most 500), with the total count. Each row carries its
 * attributes and only the asked-for metric, param and tag columns, never every key of every run.
 */
export async function runsTable({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runsTableInput> }) {
  const data = parseInput(runsTableInput, input);
  const view = runViewOf(data);
  if (!view) return { total: 0, offset: data.offset, rows: [] as RunsTableRow[] };
  const where = runViewWhere(ctx, view);
  const [[counted], rows] = await Promise.all([
    ctx.db.select({ total: count() }).from(runs).where(where),
    windowOf(ctx, where, columnsOf(data.columns), sortOf(data.sort), data.offset, data.limit),
  ]);
  return { total: counted?.total ?? 0, offset: data.offset, rows };
}

export type AuthorCount = RunAuthor & { runs: number };

export const runAuthorsInput = runViewSchema;
export type RunAuthorsInput = z.input<typeof runAuthorsInput>;

/**
 * The people who logged the runs in view, most runs first, for the people filter (the view's own
 * people left out, so picking one does not hide the others).
 */
export async function runAuthorCounts({ ctx, input }: { ctx: ProjectContext; input: RunAuthorsInput }): Promise<AuthorCount[]> {
  const view = runViewOf(parseInput(runAuthorsInput, input), { ignoreAuthors: true });
  if (!view) return [];
  const rows = await ctx.db
    .select({ ...authorColumns, runs: count() })
    .from(runs)
    .innerJoin(users, authorJoin)
    .where(runViewWhere(ctx, view))
    .groupBy(users.id)
    .orderBy(desc(count()), asc(users.name), asc(users.email))
    .limit(100);
  return rows.map((row): AuthorCount => ({ ...authorOf(row)!, runs: row.runs }));
}

export const runGroupsInput = runViewSchema.extend({
  /** A `params.<key>` or `tags.<key>` column. */
  groupBy: columnField.refine((id) => /^(params|tags)\./.test(id), "Group by a params.<key> or tags.<key> column"),
  /** `metrics.<key>` columns to aggregate. */
  metrics: z
    .array(columnField.refine((id) => id.startsWith("metrics."), "Aggregate metrics.<key> columns only"))
    .max(50, "Aggregate at most 50 metrics")
    .default([]),
  limit: z.number().int().min(1).max(1000).default(500),
});

export type RunGroupsInput = z.input<typeof runGroupsInput>;
type Aggregates = { min: number | null; avg: number | null; max: number | null; count: number };
export type RunGroup = { value: string | null; runs: number; metrics: Record<string, Aggregates> };

/**
 * The runs in view grouped by the value of a param or tag (runs without it form the group whose
 * value is null), largest groups first: how many runs, and the min, mean and max of each metric's
 * latest value (NaN and infinities left out) with how many runs have it.
 */
export async function runGroups({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runGroupsInput> }) {
  const data = parseInput(runGroupsInput, input);
  const view = runViewOf(data);
  if (!view) return { groups: [] as RunGroup[], totalGroups: 0 };
  const groupBy = columnOf(data.groupBy)!;
  const group = alias(sideTable[groupBy.kind as "params" | "tags"], "grp");
  const metrics = columnsOf([...new Set(data.metrics)]);
  const sides = metrics.map((column, i) => ({ column, side: alias(metricSeries, `agg_${i}`) }));
  const fields: Record<string, SQL> = {
    value: sql<string | null>`${group.value}`,
    runs: sql<number>`count(*)`.mapWith(Number),
    total: sql<number>`count(*) over ()`.mapWith(Number),
  };
  sides.forEach(({ side }, i) => {
    const finite = sql`(case when ${side.value} in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) then null else ${side.value} end)`;
    fields[`min_${i}`] = sql`min(${finite})`.mapWith(nullableNumber);
    fields[`avg_${i}`] = sql`avg(${finite})`.mapWith(nullableNumber);
    fields[`max_${i}`] = sql`max(${finite})`.mapWith(nullableNumber);
    fields[`count_${i}`] = sql`count(${finite})`.mapWith(Number);
  });
  let query = ctx.db
    .select(fields)
    .from(runs)
    .leftJoin(group, and(eq(group.runId, runs.id), eq(group.key, groupBy.key)))
    .$dynamic();
  for (const { column, side } of sides) query = query.leftJoin(side, and(eq(side.runId, runs.id), eq(side.key, column.key)));
  const rows = (await query
    .where(runViewWhere(ctx, view))
    .groupBy(group.value)
    .orderBy(
      sql`count(*) desc`,
      sql`(case when ${group.value} ~ ${NUMERIC_TEXT} then ${group.value}::numeric end) asc nulls last`,
      sql`${group.value} asc nulls last`,
    )
    .limit(data.limit)) as Record<string, unknown>[];
  const groups = rows.map((row): RunGroup => ({
    value: row.value as string | null,
    runs: row.runs as number,
    metrics: Object.fromEntries(
      metrics.map((column, i) => [
        column.id,
        {
          min: row[`min_${i}`] as number | null,
          avg: row[`avg_${i}`] as number | null,
          max: row[`max_${i}`] as number | null,
          count: row[`count_${i}`] as number,
        },
      ]),
    ),
  }));
  return { groups, totalGroups: (rows[0]?.total as number | undefined) ?? 0 };
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export const bulkRunsInput = z.object({
  runIds: z.array(runIdField).min(1, "Select at least one run").max(1000, "At most 1000 runs at once"),
});

/**
 * Deletes or restores runs of the project in one transaction, with an audit row per run changed.
 * Every id must name a run of this project, or nothing changes (NOT_FOUND); runs already in the
 * wanted state are left as they are.
 */
async function setRunsDeleted(ctx: ProjectContext, input: z.input<typeof bulkRunsInput>, deleted: boolean) {
  const { runIds } = parseInput(bulkRunsInput, input);
  const uuids = new Map<string, string>();
  for (const runId of runIds) {
    const uuid = uuidOfRunId(runId);
    if (!uuid) throw notFound(`Run '${runId}' not found`);
    uuids.set(uuid, runId);
  }
  return inTransaction(ctx, async (tx) => {
    const found = await tx.db
      .select({ id: runs.id, name: runs.name, deletedAt: runs.deletedAt, experimentDeletedAt: experiments.deletedAt })
      .from(runs)
      .innerJoin(experiments, eq(experiments.id, runs.experimentId))
      .where(and(eq(runs.projectId, ctx.project.id), inArray(runs.id, [...uuids.keys()])))
      .for("update", { of: runs });
    const present = new Set(found.map((r) => r.id));
    const missing = [...uuids.keys()].find((uuid) => !present.has(uuid));
    if (missing) throw notFound(`Run '${uuids.get(missing)}' not found`);
    if (!deleted && found.some((r) => r.experimentDeletedAt)) {
      throw invalid("Some of these runs belong to a deleted experiment; restore the experiment instead");
    }
    const changing = found.filter((r) => (r.deletedAt !== null) !== deleted);
    if (changing.length) {
      await tx.db
        .update(runs)
        .set({ deletedAt: deleted ? new Date() : null })
        .where(
          and(
            eq(runs.projectId, ctx.project.id),
            inArray(
              runs.id,
              changing.map((r) => r.id),
            ),
            deleted ? isNull(runs.deletedAt) : isNotNull(runs.deletedAt),
          ),
        );
      for (const run of changing) {
        await recordAudit(tx, {
          project: ctx.project,
          action: deleted ? "run.delete" : "run.restore",
          target: { type: "run", id: runIdOf(run.id) },
          before: { name: run.name },
        });
      }
    }
    return { changed: changing.length };
  });
}

/** Soft-deletes up to 1000 runs at once; they stay restorable for the retention period. */
export function deleteRuns({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof bulkRunsInput> }) {
  return setRunsDeleted(ctx, input, true);
}

/** Restores up to 1000 deleted runs at once (not those of a deleted experiment). */
export function restoreRuns({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof bulkRunsInput> }) {
  return setRunsDeleted(ctx, input, false);
}

export const exportRunsInput = runViewSchema.extend({
  columns: z.array(columnField).max(1000).default([]),
  sort: z.array(sortField).max(5).default([]),
});

const EXPORT_BATCH = 500;

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A text cell a spreadsheet will not run: a leading = + - @ (or tab, CR) gets a quote, unless the text is just a number. */
export function safeCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

function csvHeader(columns: Column[]): string[] {
  return [
    "run_id",
    "run_name",
    ...columns.flatMap((c) => {
      if (c.kind !== "attributes") return [c.id];
      if (c.key === "experiment_id") return ["experiment_id", "experiment_name"];
      if (c.key === "duration") return ["duration_s"];
      if (c.key === "user_id") return ["author", "author_email", "user_id"];
      return [c.key];
    }),
  ];
}

function csvRecord(row: RunsTableRow, columns: Column[]): string[] {
  return [
    row.runId,
    safeCell(row.runName),
    ...columns.flatMap((c): string[] => {
      if (c.kind !== "attributes") {
        const value = row.values[c.id];
        return [value === undefined ? "" : typeof value === "number" ? String(value) : safeCell(value)];
      }
      switch (c.key as AttributeKey) {
        case "experiment_id":
          return [row.experimentId, safeCell(row.experimentName)];
        case "duration":
          return [row.endTime === null ? "" : String((row.endTime - row.startTime) / 1000)];
        case "start_time":
          return [iso(row.startTime)];
        case "end_time":
          return [iso(row.endTime)];
        case "status":
          return [row.status];
        case "user_id":
          return [safeCell(row.author?.name ?? ""), safeCell(row.author?.email ?? ""), safeCell(row.userId)];
        case "run_id":
          return [row.runId];
        case "run_name":
          return [safeCell(row.runName)];
      }
    }),
  ];
}

/**
 * The whole view as CSV, produced batch by batch (never every run in memory): the run id and name,
 * then the asked-for columns. The input is checked before the first byte, so a bad filter is an
 * error, not a broken download. Runs started after the export began are left out, so that new runs
 * do not shift the batches.
 */
export async function exportRunsCsv({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof exportRunsInput> }): Promise<AsyncIterable<string>> {
  const data = parseInput(exportRunsInput, input);
  const columns = columnsOf(data.columns).filter((c) => c.id !== "attributes.run_name");
  const sort = sortOf(data.sort);
  const began = Date.now();
  const view = runViewOf({ ...data, startedBefore: Math.min(data.startedBefore ?? Infinity, began + 1) });
  const where = view ? runViewWhere(ctx, view) : null;
  return (async function* () {
    yield stringify([csvHeader(columns)]);
    if (!where) return;
    for (let offset = 0; ; offset += EXPORT_BATCH) {
      const rows = await windowOf(ctx, where, columns, sort, offset, EXPORT_BATCH);
      if (rows.length) yield stringify(rows.map((row) => csvRecord(row, columns)));
      if (rows.length < EXPORT_BATCH) return;
    }
  })();
}
