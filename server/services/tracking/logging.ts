import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { afterCommit, inTransaction, type ProjectContext, type ServiceContext } from "../../context";
import { metricPoints, metricSeries, runParams, runs } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { signal } from "../events";
import { double, int64, keyField, LIMITS, valueField } from "./limits";
import { uuidOfRunId } from "./ids";
import { catalogueInsert, catalogueKeys } from "./key-catalogue";
import { buildRollups, mergeRollups, qualifiesForRollups } from "./rollups";
import { activeRun, runIdField, runTagInput, upsertRunTags, type KeyValue, type MetricValue } from "./runs";
import { rememberedSeries, rememberSeries, type SeriesIds } from "./series-cache";

const metricInput = z.object({
  key: keyField("Metric"),
  value: double,
  timestamp: int64,
  step: int64.default(0),
});

const paramInput = z.object({
  key: keyField("Param"),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).pipe(valueField("Param", LIMITS.paramValueLength)),
});

export const logBatchInput = z
  .object({
    runId: runIdField,
    metrics: z.array(metricInput).max(LIMITS.batchMetrics, `A batch may hold at most ${LIMITS.batchMetrics} metrics`).default([]),
    params: z.array(paramInput).max(LIMITS.batchParams, `A batch may hold at most ${LIMITS.batchParams} params`).default([]),
    tags: z.array(runTagInput).max(LIMITS.batchTags, `A batch may hold at most ${LIMITS.batchTags} tags`).default([]),
  })
  .superRefine((batch, ctx) => {
    const total = batch.metrics.length + batch.params.length + batch.tags.length;
    if (total > LIMITS.batchEntities) {
      ctx.addIssue({ code: "custom", message: `A batch may hold at most ${LIMITS.batchEntities} metrics, params and tags in total; got ${total}` });
    }
    const seen = new Set<string>();
    for (const p of batch.params) {
      if (seen.has(p.key)) ctx.addIssue({ code: "custom", path: ["params"], message: `Duplicate parameter key '${p.key}' in one batch` });
      seen.add(p.key);
    }
  });

/**
 * Logs metrics, params and tags of a run as one unit: everything is validated first, then written
 * in one transaction, so a refused batch leaves nothing behind. Retrying a batch is harmless:
 * points already stored are skipped and params re-logged with the same value are accepted.
 */
export async function logBatch({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logBatchInput> }): Promise<void> {
  const batch = parseInput(logBatchInput, input);
  if (await logRememberedMetrics(ctx, batch)) return;
  const run = await activeRun(ctx, batch.runId);
  if (!batch.metrics.length && !batch.params.length && !batch.tags.length) return;
  await inTransaction(ctx, async (tx) => {
    if (batch.params.length) await logParams(tx, run.id, batch.runId, batch.params);
    if (batch.tags.length) await upsertRunTags(tx, run.id, batch.tags);
    if (batch.metrics.length) {
      const ids = await seriesIds(tx, run.id, keysOf(batch.metrics));
      if (!(await appendMetrics(tx, run.id, batch.metrics, ids))) throw invalid(`The run ${batch.runId} was deleted while the batch was written`);
      afterCommit(tx, async () => rememberSeries(run.id, ids));
    }
    await signal(tx, "evidence.changed", { runUuid: run.id });
  });
}

/**
 * A run's later batches of metrics alone, whose series ids are all remembered, skip looking the run
 * up: the points statement admits them only for an active run of the project. False when the batch
 * must take the full path, which also gives the precise refusal.
 */
async function logRememberedMetrics(ctx: ProjectContext, batch: z.output<typeof logBatchInput>): Promise<boolean> {
  if (batch.params.length || batch.tags.length || !batch.metrics.length) return false;
  const runUuid = uuidOfRunId(batch.runId);
  const ids = runUuid && rememberedSeries(runUuid, keysOf(batch.metrics));
  if (!runUuid || !ids) return false;
  return inTransaction(ctx, async (tx) => {
    if (!(await appendMetrics(tx, runUuid, batch.metrics, ids))) return false;
    await signal(tx, "evidence.changed", { runUuid });
    return true;
  });
}

function keysOf(metrics: MetricValue[]): string[] {
  return [...new Set(metrics.map((m) => m.key))];
}

/** Params are write-once: the same value again is fine, a different one is refused (and rolls back the batch). */
async function logParams(ctx: ServiceContext, runUuid: string, runId: string, params: KeyValue[]) {
  await ctx.db
    .insert(runParams)
    .values(params.map((p) => ({ runId: runUuid, ...p })))
    .onConflictDoNothing();
  await catalogueKeys(
    ctx,
    "params",
    runUuid,
    params.map((p) => p.key),
  );
  // Read back after inserting: a concurrent writer of the same key is caught here too.
  const stored = await ctx.db
    .select({ key: runParams.key, value: runParams.value })
    .from(runParams)
    .where(
      and(
        eq(runParams.runId, runUuid),
        inArray(
          runParams.key,
          params.map((p) => p.key),
        ),
      ),
    );
  const storedValue = new Map(stored.map((p) => [p.key, p.value]));
  for (const p of params) {
    const existing = storedValue.get(p.key);
    if (existing !== p.value) {
      throw invalid(
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
      );
    }
  }
}

/**
 * Appends points to the series `idOf` names in one statement whatever the batch size: it inserts
 * the points (skipping exact duplicates), folds only the points actually inserted into each series'
 * latest value, min, max and count, and merges them into the rollups of series that have them, all
 * only if the run is an active run of the project (false otherwise, with nothing written). A series
 * that reaches the rollup threshold gets its rollups built from all its points in a second
 * statement, still in the batch's transaction.
 */
async function appendMetrics(ctx: ProjectContext, runUuid: string, metrics: MetricValue[], idOf: SeriesIds): Promise<boolean> {
  // The update locks each series row, and `rolled_up` is read from the row it locked (the latest
  // committed version), so a batch waiting on one that builds a series' rollups merges into them.
  const [result] = await ctx.db.execute<{ admitted: boolean; crossed: (number | string)[] }>(sql`
    with admitted as (
      select from ${runs} where ${runs.id} = ${runUuid}::uuid and ${runs.projectId} = ${ctx.project.id}::uuid and ${runs.deletedAt} is null
    ),
    batch as (
      select * from unnest(
        ${sql.param(metrics.map((m) => idOf.get(m.key)!))}::bigint[],
        ${sql.param(metrics.map((m) => m.step))}::bigint[],
        ${sql.param(metrics.map((m) => m.timestamp))}::bigint[],
        ${sql.param(metrics.map((m) => pgDouble(m.value)))}::float8[]
      ) as b(series_id, step, timestamp, value)
      where exists (select from admitted)
    ),
    inserted as (
      insert into ${metricPoints} (series_id, step, timestamp, value)
      select series_id, step, timestamp, value from batch
      on conflict do nothing
      returning series_id, step, timestamp, value
    ),
    totals as (
      select series_id, count(*) as n,
             min(value) filter (where value <> 'NaN') as lo,
             max(value) filter (where value <> 'NaN') as hi
      from inserted group by series_id
    ),
    latest as (
      select distinct on (series_id) series_id, step, timestamp, value
      from inserted order by series_id, step desc, timestamp desc, value desc
    ),
    updated as (
      update ${metricSeries} s set
        count = s.count + t.n,
        min = least(s.min, t.lo),
        max = greatest(s.max, t.hi),
        value = case when s.count = 0 or (l.step, l.timestamp, l.value) > (s.step, s.timestamp, s.value) then l.value else s.value end,
        step = case when s.count = 0 or (l.step, l.timestamp, l.value) > (s.step, s.timestamp, s.value) then l.step else s.step end,
        timestamp = case when s.count = 0 or (l.step, l.timestamp, l.value) > (s.step, s.timestamp, s.value) then l.timestamp else s.timestamp end
      from totals t join latest l using (series_id)
      where s.run_id = ${runUuid}::uuid and s.id = t.series_id
      returning s.id, s.count, s.rolled_up
    ),
    rolled as (
      ${mergeRollups(sql`(select i.* from inserted i join updated u on u.id = i.series_id where u.rolled_up)`)}
    )
    select exists (select from admitted) as admitted,
           array(select id from updated where not rolled_up and ${qualifiesForRollups(sql`count`, sql`id`)}) as crossed`);
  if (!result?.admitted) return false;
  if (result.crossed.length)
    await buildRollups(
      ctx.db,
      result.crossed.map((id) => ({ runId: runUuid, id: Number(id) })),
    );
  return true;
}

/**
 * The series row of each key, created where missing (and a new key added to the experiment's
 * catalogue), in one round trip. The statement's snapshot
 * cannot see a row that a concurrent batch of the same run committed while this insert waited on
 * it, so those few keys are read again.
 */
async function seriesIds(ctx: ServiceContext, runUuid: string, keys: string[]): Promise<SeriesIds> {
  const rows = await ctx.db.execute<{ id: string | number; key: string }>(sql`
    with wanted as (select unnest(${sql.param(keys)}::text[]) as key),
    created as (
      insert into ${metricSeries} (run_id, key, value, step, timestamp, count)
      select ${runUuid}::uuid, key, 'NaN', 0, 0, 0 from wanted
      on conflict (run_id, key) do nothing
      returning id, key
    ),
    catalogued as (${catalogueInsert("metrics", runUuid, sql`select key from created`)})
    select id, key from created
    union all
    select s.id, s.key from ${metricSeries} s join wanted using (key) where s.run_id = ${runUuid}::uuid`);
  const idOf: SeriesIds = new Map(rows.map((r) => [r.key, r.id]));
  const missing = keys.filter((key) => !idOf.has(key));
  if (missing.length) {
    const raced = await ctx.db
      .select({ id: metricSeries.id, key: metricSeries.key })
      .from(metricSeries)
      .where(and(eq(metricSeries.runId, runUuid), inArray(metricSeries.key, missing)));
    for (const r of raced) idOf.set(r.key, r.id);
  }
  return idOf;
}

/** postgres.js sends array elements as text; spell non-finite doubles the way PostgreSQL reads them. */
function pgDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

export const logMetricInput = z.object({ runId: runIdField }).extend(metricInput.shape);

export async function logMetric({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logMetricInput> }) {
  const { runId, ...metric } = parseInput(logMetricInput, input);
  await logBatch({ ctx, input: { runId, metrics: [metric] } });
}

export const logParamInput = z.object({ runId: runIdField }).extend(paramInput.shape);

export async function logParam({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logParamInput> }) {
  const { runId, ...param } = parseInput(logParamInput, input);
  await logBatch({ ctx, input: { runId, params: [param] } });
}
