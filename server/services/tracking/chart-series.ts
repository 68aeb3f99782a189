import { and, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { metricSeries, runs } from "../../db/schema";
import { parseInput } from "../../errors";
import { runIdOf } from "./ids";
import { ROLLUP_ROWS_PER_CHART, rollupPlan, shiftOf, type RollupPlan } from "./rollups";
import { runIdField, runsById, type RunRow } from "./runs";

const CHART_MAX_RUNS = 100;
const CHART_DEFAULT_POINTS = 1000;
const CHART_MAX_POINTS = 5000;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

const runIdsField = z
  .array(runIdField)
  .min(1, "Name at least one run")
  .max(CHART_MAX_RUNS, `At most ${CHART_MAX_RUNS} runs per chart`)
  .transform((ids) => [...new Set(ids)]);

export const chartSeriesInput = z
  .object({
    runIds: runIdsField,
    metricKey: z.string().min(1, "metricKey is required").max(250),
    xAxis: z.enum(["step", "time"]),
    /**
     * The visible x range, inclusive, in x units: steps, or epoch milliseconds on the time axis.
     * With `relative`, the bounds are milliseconds since each run's start (the relative-time axis),
     * so runs started at different times are each read over their own window in one request.
     */
    range: z
      .object({ min: finite, max: finite, relative: z.boolean().default(false) })
      .refine((r) => r.min <= r.max, { message: "range.min must not exceed range.max", path: ["min"] })
      .optional(),
    maxPoints: z.number().int().min(10).max(CHART_MAX_POINTS).default(CHART_DEFAULT_POINTS),
  })
  .refine((i) => !i.range?.relative || i.xAxis === "time", { message: "A relative range needs the time axis", path: ["range"] });

/** Raw points of a series, column by column (index i of each array is one point), ordered by x. */
type ChartPoints = { step: number[]; timestamp: number[]; value: number[] };

/**
 * Buckets, column by column, ordered by x. Bucket i holds `count[i]` points whose x lie in
 * `x0[i]..x1[i]` (the first and last x actually present); `min`/`max` ignore NaN (null when every
 * value is NaN) and may be ±Infinity; `last`, `lastStep`, `lastTimestamp` are the bucket's last point
 * in x order (step, timestamp, value on the step axis; timestamp, step, value on the time axis).
 */
export type ChartBuckets = {
  x0: number[];
  x1: number[];
  min: (number | null)[];
  max: (number | null)[];
  last: number[];
  lastStep: number[];
  lastTimestamp: number[];
  count: number[];
};

type SeriesHeader = {
  runId: string;
  runName: string;
  /** The run's start (epoch ms): the relative-time axis is `timestamp - startTime`. */
  startTime: number;
  /** Points in the whole series. */
  totalPoints: number;
  /** Points inside the requested range (all of them without a range). */
  pointsInRange: number;
};

/** One run's series: raw points when they fit `maxPoints`, else at most `maxPoints` buckets. */
export type ChartSeries = (SeriesHeader & { exact: true; points: ChartPoints }) | (SeriesHeader & { exact: false; bucketWidth: number; points: ChartBuckets });

export type ChartSeriesReply = { metricKey: string; xAxis: "step" | "time"; maxPoints: number; runs: ChartSeries[] };

/**
 * A metric of several runs, ready to draw. When the points of a run inside the range fit
 * `maxPoints` they come back exactly; otherwise the database reduces them to at most `maxPoints`
 * equal-width buckets over the x extent of the range, each with its min, max (so no spike is lost),
 * count and last point. On the step axis a series with rollups is bucketed from them: buckets are
 * then aligned to rollup boundaries, and stay exact (the partial rollups at the range's edges are
 * read from finer rollups and raw points); the series of one chart share a budget of rollup rows,
 * so a 100-run overlay gets coarser buckets than one run. The reduction is deterministic: the same
 * input gives the same output.
 * Runs of another project are not found.
 */
export async function chartSeries({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof chartSeriesInput> }): Promise<ChartSeriesReply> {
  const data = parseInput(chartSeriesInput, input);
  const runRows = await runsById(ctx, data.runIds);
  const series = await ctx.db
    .select({ id: metricSeries.id, runId: metricSeries.runId, count: metricSeries.count, rolledUp: metricSeries.rolledUp })
    .from(metricSeries)
    .innerJoin(runs, eq(runs.id, metricSeries.runId))
    .where(
      and(
        eq(runs.projectId, ctx.project.id),
        inArray(
          metricSeries.runId,
          runRows.map((r) => r.id),
        ),
        eq(metricSeries.key, data.metricKey),
      ),
    );
  const seriesOf = new Map(series.map((s) => [s.runId, s]));
  const reads = runRows.map((run) => ({ run, series: seriesOf.get(run.id), window: windowOf(data.range, run) }));
  const charted = await readSeries(ctx, reads, data.xAxis, data.maxPoints);
  return { metricKey: data.metricKey, xAxis: data.xAxis, maxPoints: data.maxPoints, runs: charted };
}

type Window = { lo: number; hi: number } | null;

/** The integer x window of one run, or null for the whole series. */
function windowOf(range: { min: number; max: number; relative: boolean } | undefined, run: RunRow): Window {
  if (!range) return null;
  const offset = range.relative ? run.startTime : 0;
  return { lo: clampSafe(Math.ceil(range.min + offset)), hi: clampSafe(Math.floor(range.max + offset)) };
}

const clampSafe = (n: number) => Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, n));

type SeriesRead = { run: RunRow; series: { id: number; count: number; rolledUp: boolean } | undefined; window: Window };
type Plan = { id: number; window: Window };

/**
 * One row per series for a lateral join: its id and x window (the whole int64 range without one),
 * so each series is read through its own primary-key range, whatever the number of runs.
 */
function seriesValues(plans: Plan[], extra: (plan: Plan) => SQL[] = () => []): SQL {
  const rows = plans.map(
    (p) =>
      sql`(${p.id}::bigint, ${p.window ? p.window.lo : null}::bigint, ${p.window ? p.window.hi : null}::bigint${sql.join(
        extra(p).map((e) => sql`, ${e}`),
        sql``,
      )})`,
  );
  return sql.join(rows, sql`, `);
}

const WHOLE_LO = sql.raw("(-9223372036854775807 - 1)");
const WHOLE_HI = sql.raw("9223372036854775807");

/**
 * The series of all the runs in a few statements, each covering every run (a hundred runs in one
 * chart would otherwise cost several hundred round trips): raw points for series that fit
 * `maxPoints`, buckets for the others.
 */
async function readSeries(ctx: ProjectContext, reads: SeriesRead[], xAxis: "step" | "time", maxPoints: number): Promise<ChartSeries[]> {
  const x = xAxis === "step" ? sql.raw("p.step") : sql.raw(`p."timestamp"`);
  const other = xAxis === "step" ? sql.raw(`p."timestamp"`) : sql.raw("p.step");
  const inWindow = sql`${x} between coalesce(g.lo, ${WHOLE_LO}) and coalesce(g.hi, ${WHOLE_HI})`;
  const live = reads.filter((r) => r.series?.count && !(r.window && r.window.lo > r.window.hi));
  const plan = (r: SeriesRead): Plan => ({ id: r.series!.id, window: r.window });

  // Raw points when they fit: a whole series known to fit is read at once; a window (or a series
  // too long as a whole) is first counted, up to maxPoints + 1, and read in the same statement only
  // if it fits, so a window that does not fit costs one row. A whole series that is known not to fit
  // goes straight to buckets.
  const whole = live.filter((r) => !r.window && r.series!.count <= maxPoints).map(plan);
  const probed = live.filter((r) => r.window).map(plan);
  const rawOf = new Map<number, RawRow[]>();
  const tooMany = new Set<number>();
  if (whole.length || probed.length) {
    const rows = await ctx.db.execute<ProbedRow>(sql`
      select g.id as series_id, c.n, pts.step, pts."timestamp", pts.value
      from (values ${seriesValues([...whole, ...probed])}) as g(id, lo, hi)
      cross join lateral (
        select count(*)::int as n from (select from metric_points p where p.series_id = g.id and ${inWindow} limit ${maxPoints + 1}) l
      ) c
      left join lateral (
        -- offset 0 keeps c.n a one-time filter of this scan: flattened into the join, PostgreSQL
        -- read every point of the window and filtered them after (2.2 s against 33 ms for 100 runs).
        select p.step::float8 as step, p."timestamp"::float8 as "timestamp", p.value
        from metric_points p where c.n <= ${maxPoints} and p.series_id = g.id and ${inWindow}
        offset 0
      ) pts on true`);
    for (const { series_id, n, ...row } of rows) {
      const id = Number(series_id);
      if (n > maxPoints) tooMany.add(id);
      if (row.step === null) continue;
      const list = rawOf.get(id);
      if (list) list.push(row as RawRow);
      else rawOf.set(id, [row as RawRow]);
    }
  }
  const bucketed = live.filter((r) => (r.window ? tooMany.has(r.series!.id) : r.series!.count > maxPoints)).map(plan);

  // Too many: bucket over the x extent of the points in the window (a cheap index lookup on the
  // step axis; a scan of the series on the time axis, which has no index of its own).
  const gridOf = new Map<number, ReturnType<typeof bucketGrid>>();
  const rollupOf = new Map<number, RollupPlan>();
  const rolledUp = new Set(live.filter((r) => r.series!.rolledUp).map((r) => r.series!.id));
  if (bucketed.length) {
    const extents = await ctx.db.execute<{ series_id: number | string; lo: number | null; hi: number | null }>(sql`
      select g.id as series_id, e.lo, e.hi
      from (values ${seriesValues(bucketed)}) as g(id, lo, hi)
      cross join lateral (select min(${x})::float8 as lo, max(${x})::float8 as hi from metric_points p where p.series_id = g.id and ${inWindow}) e`);
    // The series with rollups share the rows one chart may read.
    const rowsEach = ROLLUP_ROWS_PER_CHART / Math.max(1, bucketed.filter((p) => rolledUp.has(p.id)).length);
    for (const e of extents) {
      if (e.lo == null || e.hi == null) continue;
      const id = Number(e.series_id);
      const plan = xAxis === "step" && rolledUp.has(id) ? rollupPlan(e.lo, e.hi, maxPoints, rowsEach) : null;
      if (plan) rollupOf.set(id, plan);
      else gridOf.set(id, bucketGrid(e.lo, e.hi, maxPoints));
    }
  }
  const gridded = bucketed.filter((p) => gridOf.has(p.id));
  const bucketsOf = new Map<number, BucketRow[]>();
  const rolledBuckets = new Map<number, ChartBuckets>();
  if (rollupOf.size) {
    for (const row of await ctx.db.execute<RollupColumns>(rollupBuckets(rollupOf))) rolledBuckets.set(Number(row.series_id), bucketsOfColumns(row));
  }
  if (gridded.length) {
    // One pass per series, no sort: the subquery fence (offset 0) keeps PostgreSQL from estimating
    // one group per row, so it hash-aggregates ~maxPoints groups per series. The last point is the
    // greatest [x, other, value] array: arrays compare element by element, NaN sorting above every
    // number, as in the primary key; steps and timestamps are safe integers, exact as float8.
    const values = seriesValues(gridded, (p) => [sql`${gridOf.get(p.id)!.lo}::bigint`, sql`${gridOf.get(p.id)!.width}::bigint`]);
    const rows = await ctx.db.execute<BucketRow & { series_id: number | string }>(sql`
      select series_id, min(x)::float8 as x0, max(x)::float8 as x1,
             min(value) filter (where value <> 'NaN') as min,
             max(value) filter (where value <> 'NaN') as max,
             count(*)::int as count,
             max(array[x::float8, other::float8, value]) as last
      from (
        select g.id as series_id, pts.bucket, pts.x, pts.other, pts.value
        from (values ${values}) as g(id, lo, hi, grid_lo, width)
        cross join lateral (
          select (${x} - g.grid_lo) / g.width as bucket, ${x} as x, ${other} as other, p.value
          from metric_points p where p.series_id = g.id and ${inWindow}
        ) pts
        offset 0
      ) points
      group by series_id, bucket
      order by series_id, bucket`);
    for (const { series_id, ...row } of rows) {
      const id = Number(series_id);
      const list = bucketsOf.get(id);
      if (list) list.push(row);
      else bucketsOf.set(id, [row]);
    }
  }

  const liveIds = new Set(live.map((r) => r.series!.id));
  const bucketedIds = new Set(bucketed.map((p) => p.id));
  return reads.map(({ run, series }) => {
    const header = { runId: runIdOf(run.id), runName: run.name, startTime: run.startTime, totalPoints: series?.count ?? 0 };
    const none = { ...header, pointsInRange: 0, exact: true as const, points: { step: [], timestamp: [], value: [] } };
    if (!series || !liveIds.has(series.id)) return none;
    if (!bucketedIds.has(series.id)) return { ...header, ...exactPoints(rawOf.get(series.id) ?? [], xAxis) };
    const rolled = rolledBuckets.get(series.id);
    if (rolled) {
      const pointsInRange = rolled.count.reduce((sum, n) => sum + n, 0);
      return { ...header, pointsInRange, exact: false as const, bucketWidth: rollupOf.get(series.id)!.bucketWidth, points: rolled };
    }
    const grid = gridOf.get(series.id);
    if (!grid) return none;
    return { ...header, ...bucketsOfRows(bucketsOf.get(series.id) ?? [], xAxis, grid.width) };
  });
}

/**
 * Step-axis buckets of series from their rollups, in one statement (one snapshot): each plan's
 * pieces (rollup rows of a width, or raw points at the range's very ends) folded into chart
 * buckets of `m` buckets of the plan's width. Rollups carry the same aggregates as the raw path
 * (min and max without NaN, the greatest [step, timestamp, value]). When a chart bucket is one
 * rollup row (m = 1, the plan's own width), that row is the bucket as it is: the edges of the
 * range fall in other buckets, so only they are folded (hashing every row with its last point as
 * an array took half of the statement for 100 runs). One row per series, its buckets as one JSON
 * array: a hundred series of ~800 buckets each decode several times faster from JSON than as rows
 * of float8 arrays.
 */
function rollupBuckets(plans: Map<number, RollupPlan>): SQL {
  const int8 = (n: bigint) => sql`${String(n)}::bigint`;
  const rows = [...plans].flatMap(([id, p]) =>
    p.pieces.map((piece) => {
      const direct = p.m === 1n && piece.width === p.width;
      return sql`(${id}::bigint, ${piece.width}::int, ${piece.width ? shiftOf(piece.width) : 0}::int, ${int8(piece.lo)}, ${int8(piece.hi)}, ${p.shift}::int, ${int8(p.base)}, ${int8(p.m)}, ${direct}::boolean)`;
    }),
  );
  // A rollup row of bucket b at width 2^s starts at step b << s, which names its chart bucket.
  // offset 0 keeps each range a scan of the primary key per piece: flattened into a join,
  // PostgreSQL hashed the whole table against the pieces (195 against 120 ms for 100 runs).
  return sql`
    with g(id, width, own_shift, lo, hi, shift, base, m, direct) as (values ${sql.join(rows, sql`, `)})
    select series_id, json_agg(json_build_array(x0, x1, lo, hi, n, last_step, last_timestamp, last_value) order by bucket) as buckets
    from (
      select g.id as series_id, r.bucket - g.base as bucket, r.x0::float8 as x0, r.x1::float8 as x1, r.min as lo, r.max as hi,
             r.count::float8 as n, r.last_step::float8 as last_step, r.last_timestamp::float8 as last_timestamp, r.last_value
      from g cross join lateral (
        select * from metric_rollups r where r.series_id = g.id and r.width = g.width and r.bucket between g.lo and g.hi offset 0
      ) r
      where g.direct
      union all
      select series_id, bucket, x0, x1, lo, hi, n, last[1], last[2], last[3]
      from (
        select series_id, bucket, min(x0)::float8 as x0, max(x1)::float8 as x1, min(lo) as lo, max(hi) as hi,
               sum(n)::float8 as n, max(last) as last
        from (
          select g.id as series_id, (((r.bucket << g.own_shift) >> g.shift) - g.base) / g.m as bucket, r.x0, r.x1, r.min as lo, r.max as hi,
                 r.count as n, array[r.last_step::float8, r.last_timestamp::float8, r.last_value] as last
          from g cross join lateral (
            select * from metric_rollups r where r.series_id = g.id and r.width = g.width and r.bucket between g.lo and g.hi offset 0
          ) r
          where g.width > 0 and not g.direct
          union all
          select g.id, ((p.step >> g.shift) - g.base) / g.m, p.step, p.step,
                 case when p.value <> 'NaN' then p.value end, case when p.value <> 'NaN' then p.value end, 1,
                 array[p.step::float8, p."timestamp"::float8, p.value]
          from g cross join lateral (
            select * from metric_points p where p.series_id = g.id and p.step between g.lo and g.hi
          ) p
          where g.width = 0
        ) pieces
        group by series_id, bucket
      ) folded
    ) buckets
    group by series_id`;
}

/** One series' buckets as `rollupBuckets` returns them: [x0, x1, min, max, count, last step, last timestamp, last value] in JSON, non-finite doubles spelled as strings. */
type RollupColumns = { series_id: number | string; buckets: Json[][] };
type Json = number | string | null;

function bucketsOfColumns({ buckets }: RollupColumns): ChartBuckets {
  const num = (v: Json | undefined) => (typeof v === "number" ? v : Number(v));
  const orNull = (v: Json | undefined) => (v === null ? null : num(v));
  return {
    x0: buckets.map((b) => num(b[0])),
    x1: buckets.map((b) => num(b[1])),
    min: buckets.map((b) => orNull(b[2])),
    max: buckets.map((b) => orNull(b[3])),
    count: buckets.map((b) => num(b[4])),
    lastStep: buckets.map((b) => num(b[5])),
    lastTimestamp: buckets.map((b) => num(b[6])),
    last: buckets.map((b) => num(b[7])),
  };
}

/** Bucket rows of one series as the reply's columns. */
function bucketsOfRows(rows: BucketRow[], xAxis: "step" | "time", bucketWidth: number) {
  const points: ChartBuckets = { x0: [], x1: [], min: [], max: [], last: [], lastStep: [], lastTimestamp: [], count: [] };
  let pointsInRange = 0;
  for (const row of rows) {
    const [lastX, lastOther, lastValue] = parseFloatArray(row.last);
    points.x0.push(row.x0);
    points.x1.push(row.x1);
    points.min.push(row.min);
    points.max.push(row.max);
    points.last.push(lastValue!);
    points.lastStep.push(xAxis === "step" ? lastX! : lastOther!);
    points.lastTimestamp.push(xAxis === "step" ? lastOther! : lastX!);
    points.count.push(row.count);
    pointsInRange += row.count;
  }
  return { pointsInRange, exact: false as const, bucketWidth, points };
}

type RawRow = { step: number; timestamp: number; value: number };
/** A row of the probe: a series' count in its window (capped at maxPoints + 1), with one of its points when it fits. */
type ProbedRow = { series_id: number | string; n: number } & (
  { step: number; timestamp: number; value: number } | { step: null; timestamp: null; value: null }
);
type BucketRow = { x0: number; x1: number; min: number | null; max: number | null; count: number; last: number[] | string };

/** Raw rows in x order; ties broken by the other coordinate, then value (NaN last), as PostgreSQL orders them. */
function exactPoints(rows: RawRow[], xAxis: "step" | "time"): { pointsInRange: number; exact: true; points: ChartPoints } {
  const [first, second] = xAxis === "step" ? (["step", "timestamp"] as const) : (["timestamp", "step"] as const);
  rows.sort((a, b) => a[first] - b[first] || a[second] - b[second] || compareDoubles(a.value, b.value));
  return {
    pointsInRange: rows.length,
    exact: true,
    points: { step: rows.map((r) => r.step), timestamp: rows.map((r) => r.timestamp), value: rows.map((r) => r.value) },
  };
}

function compareDoubles(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a - b || 0;
}

/** float8[] as the driver hands it over: parsed already, or PostgreSQL's text form `{1,2,NaN}`. */
function parseFloatArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return value.replace(/[{}]/g, "").split(",").map(Number);
}

/**
 * Equal-width integer buckets covering lo..hi (inclusive) with at most `maxBuckets` of them:
 * width = ceil(span / maxBuckets), bucket of x = floor((x - lo) / width). Computed with BigInt so
 * spans beyond 2^53 (int64 timestamps far apart) stay exact.
 */
export function bucketGrid(lo: number, hi: number, maxBuckets: number): { lo: number; width: number; buckets: number } {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) throw new RangeError(`Invalid bucket range ${lo}..${hi}`);
  if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) throw new RangeError(`Invalid bucket count ${maxBuckets}`);
  const span = BigInt(hi) - BigInt(lo) + 1n;
  const max = BigInt(maxBuckets);
  const width = (span + max - 1n) / max;
  return { lo, width: Number(width), buckets: Number((span + width - 1n) / width) };
}

/** The bucket index of `x` in a grid from `bucketGrid` (the same arithmetic the database does). */
export function bucketOf(x: number, grid: { lo: number; width: number }): number {
  return Number((BigInt(x) - BigInt(grid.lo)) / BigInt(grid.width));
}

export const chartKeysInput = z.object({ runIds: runIdsField });

export type ChartKey = { key: string; runCount: number; pointCount: number };

/** The metric keys logged by any of the runs, with how many of them log each and their total points. */
export async function chartKeys({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof chartKeysInput> }): Promise<ChartKey[]> {
  const { runIds } = parseInput(chartKeysInput, input);
  const runRows = await runsById(ctx, runIds);
  return ctx.db
    .select({
      key: metricSeries.key,
      runCount: sql<number>`count(*)::int`,
      pointCount: sql<number>`sum(${metricSeries.count})::float8`,
    })
    .from(metricSeries)
    .innerJoin(runs, eq(runs.id, metricSeries.runId))
    .where(
      and(
        eq(runs.projectId, ctx.project.id),
        inArray(
          metricSeries.runId,
          runRows.map((r) => r.id),
        ),
        gt(metricSeries.count, 0),
      ),
    )
    .groupBy(metricSeries.key)
    .orderBy(metricSeries.key);
}
