import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, notExists, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { experiments, metricSeries, runs, type RUN_STATUSES } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { compileFilter, type Resolver } from "../../search/compile";
import { compileSideFilter, type SideResolver, type SideTable } from "../../search/side-tables";
import { EXPERIMENT_FILTER, FilterSyntaxError, parseFilter, RUN_FILTER, type FilterExpr, type Identifier } from "../../search/filter";
import { EXPERIMENT_ORDER, parseOrderBy, RUN_ORDER, type OrderTerm } from "../../search/order-by";
import { presentExperiments } from "./experiments";
import { experimentNumberOf } from "./ids";
import { int64, LIMITS } from "./limits";
import { decodeOffset, encodeOffset } from "../page-token";
import { presentRuns } from "./runs";

const VIEW_TYPES = { 1: "ACTIVE_ONLY", 2: "DELETED_ONLY", 3: "ALL" } as const;
export type ViewType = (typeof VIEW_TYPES)[keyof typeof VIEW_TYPES];

const viewTypeField = z
  .union([z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]), z.coerce.number().int().min(1).max(3)])
  .transform((v): ViewType => (typeof v === "number" ? VIEW_TYPES[v as 1 | 2 | 3] : v))
  .default("ACTIVE_ONLY");

const maxResultsField = (fallback: number, max: number) =>
  int64.pipe(z.number().min(1, "max_results must be at least 1").max(max, `max_results must be at most ${max}`)).default(fallback);

const orderByField = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .default([]);

/** Parser errors are the client's mistake: INVALID_PARAMETER_VALUE with the parser's message. */
export function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalid(error.message);
    throw error;
  }
}

function lifecycle(deletedAt: AnyPgColumn, view: ViewType): SQL | undefined {
  if (view === "ACTIVE_ONLY") return isNull(deletedAt);
  if (view === "DELETED_ONLY") return isNotNull(deletedAt);
  return undefined;
}

const existsWith = (from: SQL, value: SQL): ReturnType<Resolver> => ({ kind: "keyed", from, value });

// A run's keyed values, as `(owner, key, value)` rows for `compileSideFilter`.
const RUN_SIDE_TABLES = {
  // A NaN latest value counts as missing: PostgreSQL would rank it above every number.
  metric: { name: "metrics", type: "number", rows: sql`select m.run_id as owner, m.key, nullif(m.value, 'NaN') as value from metric_series m` },
  param: { name: "params", type: "string", rows: sql`select p.run_id as owner, p.key, p.value from run_params p` },
  tag: { name: "tags", type: "string", rows: sql`select t.run_id as owner, t.key, t.value from run_tags t` },
  dataset: {
    name: "datasets",
    type: "string",
    rows: sql`select ri.run_id as owner, 'name' as key, d.name as value from run_inputs ri join datasets d on d.id = ri.dataset_id
      union all select ri.run_id, 'digest', d.digest from run_inputs ri join datasets d on d.id = ri.dataset_id
      union all select ri.run_id, 'context', tag->>'value' from run_inputs ri, jsonb_array_elements(ri.tags) tag where tag->>'key' = 'mlflow.data.context'`,
  },
} satisfies Record<Exclude<Identifier["kind"], "attribute">, SideTable>;

/** Identifiers of run search: attributes of `runs`, or keys of its side tables. */
const runResolver: SideResolver = (id: Identifier) =>
  id.kind === "attribute" ? { kind: "column", expr: runAttribute(id.key) } : { kind: "side", table: RUN_SIDE_TABLES[id.kind], key: id.key };

/** A run attribute of the filter grammar as SQL over `runs`. */
export function runAttribute(name: string): SQL {
  switch (name) {
    case "run_id":
      return sql`replace(${runs.id}::text, '-', '')`;
    case "run_name":
      return sql`${runs.name}`;
    case "status":
      return sql`${runs.status}::text`;
    case "user_id":
      return sql`${runs.userName}`;
    case "artifact_uri":
      return sql`${runs.artifactUri}`;
    case "lifecycle_stage":
      return sql`case when ${runs.deletedAt} is null then 'active' else 'deleted' end`;
    case "start_time":
      return sql`${runs.startTime}`;
    case "end_time":
      return sql`${runs.endTime}`;
    default:
      throw invalid(`Unknown run attribute '${name}'`);
  }
}

function runOrderExpr(term: OrderTerm): SQL {
  const { kind, key } = term.identifier;
  const value =
    kind === "metric"
      ? sql`(select nullif(m.value, 'NaN') from metric_series m where m.run_id = ${runs.id} and m.key = ${key})`
      : kind === "param"
        ? sql`(select p.value from run_params p where p.run_id = ${runs.id} and p.key = ${key})`
        : kind === "tag"
          ? sql`(select t.value from run_tags t where t.run_id = ${runs.id} and t.key = ${key})`
          : runAttribute(key);
  // Runs missing the sort key come last, whichever the direction.
  return term.ascending ? sql`${value} asc nulls last` : sql`${value} desc nulls last`;
}

/**
 * Which runs of the project a search, the runs table, its groups and its export show. Experiments
 * are named by their per-project numbers (none: every experiment); `startedBefore` is exclusive.
 */
export type RunView = {
  experimentNumbers?: readonly number[];
  lifecycle: ViewType;
  filter: FilterExpr | null;
  statuses?: readonly (typeof RUN_STATUSES)[number][];
  /** The people who logged the runs: user ids (`runs.created_by`). */
  authorIds?: readonly string[];
  startedFrom?: number;
  startedBefore?: number;
};

/** The WHERE of a run view over `runs` (no join needed), the project's own runs only. */
export function runViewWhere(ctx: ProjectContext, view: RunView): SQL {
  // `= any(array(…))` rather than `in (…)`: the planner then estimates the runs from their own
  // statistics instead of a join with the (small, often never analysed) experiments table, which
  // made it expect a few hundred runs out of 100,000 and pick nested loops.
  const inExperiments = view.experimentNumbers?.length
    ? sql`${runs.experimentId} = any(array(${ctx.db
        .select({ id: experiments.id })
        .from(experiments)
        .where(and(eq(experiments.projectId, ctx.project.id), inArray(experiments.number, [...view.experimentNumbers])))}))`
    : undefined;
  const scope = and(
    eq(runs.projectId, ctx.project.id),
    inExperiments,
    lifecycle(runs.deletedAt, view.lifecycle),
    view.statuses?.length ? inArray(runs.status, [...view.statuses]) : undefined,
    view.authorIds?.length ? inArray(runs.createdBy, [...view.authorIds]) : undefined,
    view.startedFrom !== undefined ? gte(runs.startTime, view.startedFrom) : undefined,
    view.startedBefore !== undefined ? lt(runs.startTime, view.startedBefore) : undefined,
  )!;
  return and(scope, compileSideFilter(view.filter, runResolver, { table: runs, id: runs.id, scope }))!;
}

export const searchRunsInput = z.object({
  experimentIds: z
    .union([z.array(z.union([z.string(), z.number()])), z.string(), z.number()])
    .transform((v) => (Array.isArray(v) ? v : [v]).map(String))
    .default([]),
  filter: z.string().max(10_000).optional(),
  runViewType: viewTypeField,
  maxResults: maxResultsField(1000, LIMITS.maxResults),
  orderBy: orderByField,
  pageToken: z.string().max(200).optional(),
});

/**
 * MLflow run search over the named experiments (all experiments of the project when none is
 * named), with Cairn's OR and parentheses. Order is deterministic (ties by start time, then id),
 * so pages never repeat or skip a run.
 */
export async function searchRuns({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchRunsInput> }) {
  const data = parseInput(searchRunsInput, input);
  const filter = parsed(() => parseFilter(data.filter, RUN_FILTER));
  const order = parsed(() => parseOrderBy(data.orderBy, RUN_ORDER));
  const numbers = data.experimentIds.map(experimentNumberOf).filter((n): n is number => n !== null);
  if (data.experimentIds.length && !numbers.length) return { runs: [], nextPageToken: undefined };
  const offset = decodeOffset(data.pageToken);

  const where = runViewWhere(ctx, { experimentNumbers: numbers, lifecycle: data.runViewType, filter });
  const [first, ...rest] = order;
  const rows =
    first?.identifier.kind === "metric"
      ? await runsOrderedByMetric(ctx, where, first, rest, offset, data.maxResults + 1)
      : await selectRuns(ctx, where, order.map(runOrderExpr), offset, data.maxResults + 1);
  const more = rows.length > data.maxResults;
  const page = (more ? rows.slice(0, data.maxResults) : rows).map((r) => ({ ...r.run, experimentNumber: r.experimentNumber }));
  return { runs: await presentRuns(ctx, page), nextPageToken: more ? encodeOffset(offset + data.maxResults) : undefined };
}

function selectRuns(ctx: ProjectContext, where: SQL, orderBy: SQL[], offset: number, limit: number) {
  return ctx.db
    .select({ run: runs, experimentNumber: experiments.number })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(where)
    .orderBy(...orderBy, desc(runs.startTime), asc(runs.id))
    .offset(offset)
    .limit(limit);
}

/**
 * A search ordered by a metric first, in the order `runOrderExpr` gives, without sorting every match:
 * the runs holding the metric as a number come from walking metric_series' (key, value) index in
 * order, which stops once a page is full; the runs without it follow (`nulls last`), skipping as
 * many of them as the offset reaches past the others.
 */
async function runsOrderedByMetric(ctx: ProjectContext, where: SQL, first: OrderTerm, rest: OrderTerm[], offset: number, limit: number) {
  const holder = alias(metricSeries, "order_metric");
  const holds = and(eq(holder.runId, runs.id), eq(holder.key, first.identifier.key), sql`${holder.value} <> 'NaN'`);
  const withMetric = await ctx.db
    .select({ run: runs, experimentNumber: experiments.number })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .innerJoin(holder, holds)
    .where(where)
    .orderBy(first.ascending ? asc(holder.value) : desc(holder.value), ...rest.map(runOrderExpr), desc(runs.startTime), asc(runs.id))
    .offset(offset)
    .limit(limit);
  if (withMetric.length >= limit) return withMetric;
  const holding =
    withMetric.length > 0 || offset === 0
      ? offset + withMetric.length
      : (await ctx.db.select({ n: count() }).from(runs).innerJoin(holder, holds).where(where))[0]!.n;
  const lacking = await selectRuns(
    ctx,
    and(
      where,
      notExists(
        ctx.db
          .select({ one: sql`1` })
          .from(holder)
          .where(holds),
      ),
    )!,
    rest.map(runOrderExpr),
    Math.max(0, offset - holding),
    limit - withMetric.length,
  );
  return [...withMetric, ...lacking];
}

/** A timestamptz column as MLflow's epoch milliseconds, for filters and ordering. */
export const millis = (column: SQL | AnyPgColumn) => sql`(extract(epoch from ${column}) * 1000)::bigint`;

const experimentResolver: Resolver = (id) => {
  if (id.kind === "tag") {
    return existsWith(sql`select 1 from experiment_tags t where t.experiment_id = ${experiments.id} and t.key = ${id.key}`, sql`t.value`);
  }
  return { kind: "column", expr: experimentAttribute(id.key) };
};

function experimentAttribute(name: string): SQL {
  switch (name) {
    case "name":
      return sql`${experiments.name}`;
    case "experiment_id":
      return sql`${experiments.number}`;
    case "creation_time":
      return millis(experiments.createdAt);
    case "last_update_time":
      return millis(experiments.updatedAt);
    default:
      throw invalid(`Unknown experiment attribute '${name}'`);
  }
}

export const searchExperimentsInput = z.object({
  filter: z.string().max(10_000).optional(),
  viewType: viewTypeField,
  maxResults: maxResultsField(1000, LIMITS.maxResults),
  orderBy: orderByField,
  pageToken: z.string().max(200).optional(),
});

/** MLflow experiment search; newest first by default, ties broken by experiment id. */
export async function searchExperiments({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchExperimentsInput> }) {
  const data = parseInput(searchExperimentsInput, input);
  const filter = parsed(() => parseFilter(data.filter, EXPERIMENT_FILTER));
  const order = parsed(() => parseOrderBy(data.orderBy, EXPERIMENT_ORDER));
  const offset = decodeOffset(data.pageToken);
  const orderBy = order.length
    ? order.map((t) => (t.ascending ? sql`${experimentAttribute(t.identifier.key)} asc` : sql`${experimentAttribute(t.identifier.key)} desc`))
    : [desc(experiments.createdAt)];
  const rows = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.projectId, ctx.project.id), lifecycle(experiments.deletedAt, data.viewType), compileFilter(filter, experimentResolver)))
    .orderBy(...orderBy, asc(experiments.number))
    .offset(offset)
    .limit(data.maxResults + 1);
  const more = rows.length > data.maxResults;
  const page = more ? rows.slice(0, data.maxResults) : rows;
  return { experiments: await presentExperiments(ctx, page), nextPageToken: more ? encodeOffset(offset + data.maxResults) : undefined };
}

export { existsWith, maxResultsField, orderByField };
