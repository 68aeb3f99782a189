import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";

/**
 * Rollup widths in steps, powers of 8 from 64: a chart of `maxPoints` buckets over any range reads
 * at most ~8·maxPoints rollup rows at the finest width not wider than its buckets, and a series
 * stores about one row per 56 points (1/64 + 1/512 + …). Finer than 64 would not pay: a range whose
 * buckets are under 64 steps wide holds under 64·maxPoints points, which the raw path buckets fast.
 */
export const ROLLUP_WIDTHS = [64, 512, 4096, 32_768] as const;

/** log2 of a rollup width: a bucket b of that width starts at step b << shift. */
export const shiftOf = (width: number) => Math.log2(width);

/** The widths as `(width, shift)` rows, for a `cross join (values …) w(width, shift)`. */
const widthRows = sql.raw(ROLLUP_WIDTHS.map((w) => `(${w}, ${shiftOf(w)})`).join(", "));

/**
 * Whether a series of `count` points should have rollups: from 32,768 points, plus up to as many
 * again by series id, so that the keys of a run logged in lockstep cross one at a time instead of
 * all building their rollups in the same batch. Most series are short and never pay for rollups.
 */
export function qualifiesForRollups(count: SQL, id: SQL): SQL {
  return sql`${count} >= 32768 + ${id} % 32768`;
}

/**
 * The rollup rows of a set of points (`source` has series_id, step, timestamp, value), at every
 * width: the SELECT both ingest and the build use, so a rollup always aggregates the same way. The
 * last point is the greatest [step, timestamp, value] (NaN above every number, as PostgreSQL orders
 * doubles); steps and timestamps are safe integers, exact as float8.
 */
function rollupRowsOf(source: SQL): SQL {
  return sql`
    select series_id, width, bucket, n, lo, hi, x0, x1, last[1]::bigint as last_step, last[2]::bigint as last_timestamp, last[3] as last_value
    from (
      select p.series_id, w.width, p.step >> w.shift as bucket, count(*) as n,
             min(p.value) filter (where p.value <> 'NaN') as lo,
             max(p.value) filter (where p.value <> 'NaN') as hi,
             min(p.step) as x0, max(p.step) as x1,
             max(array[p.step::float8, p.timestamp::float8, p.value]) as last
      from ${source} p cross join (values ${widthRows}) as w(width, shift)
      group by p.series_id, w.width, bucket
    ) g
    order by series_id, width, bucket`;
}

const ROLLUP_COLUMNS = sql.raw("(series_id, width, bucket, count, min, max, x0, x1, last_step, last_timestamp, last_value)");

/**
 * An INSERT that merges rollup rows of newly inserted points (`source`) into the stored ones:
 * counts add, min and max combine (NaN never enters them), the last point is the greater. Rows go
 * in key order; a series' rollups are only written by the holder of its series row lock anyway.
 */
export function mergeRollups(source: SQL): SQL {
  const newer = sql.raw(`(excluded.last_step, excluded.last_timestamp, excluded.last_value) > (r.last_step, r.last_timestamp, r.last_value)`);
  return sql`
    insert into metric_rollups as r ${ROLLUP_COLUMNS}
    ${rollupRowsOf(source)}
    on conflict (series_id, width, bucket) do update set
      count = r.count + excluded.count,
      min = least(r.min, excluded.min),
      max = greatest(r.max, excluded.max),
      x0 = least(r.x0, excluded.x0),
      x1 = greatest(r.x1, excluded.x1),
      last_step = case when ${newer} then excluded.last_step else r.last_step end,
      last_timestamp = case when ${newer} then excluded.last_timestamp else r.last_timestamp end,
      last_value = case when ${newer} then excluded.last_value else r.last_value end`;
}

/**
 * (Re)builds the rollups of series from all their stored points and flags them `rolled_up`. Run in
 * the transaction that makes a series qualify, after its series row is locked by the batch's
 * update, so no concurrent batch of that series can commit points this build does not see.
 */
export async function buildRollups(db: Pick<Database, "execute">, series: readonly { runId: string; id: number }[]): Promise<void> {
  if (!series.length) return;
  const ids = sql`${sql.param(series.map((s) => String(s.id)))}::bigint[]`;
  await db.execute(sql`delete from metric_rollups where series_id = any(${ids})`);
  await db.execute(sql`
    insert into metric_rollups ${ROLLUP_COLUMNS}
    ${rollupRowsOf(sql`(select series_id, step, timestamp, value from metric_points where series_id = any(${ids}))`)}`);
  // By run and id: the series' primary key, as docs/SCALING.md distributes it.
  await db.execute(sql`
    update metric_series s set rolled_up = true
    from unnest(${sql.param(series.map((s) => s.runId))}::uuid[], ${ids}) as k(run_id, id)
    where s.run_id = k.run_id and s.id = k.id`);
}

/**
 * Rollup rows one chart request reads at most across its series, besides a few per series at the
 * edges of its range: a 100-run overlay then reads 400 rows a run, where folding 1,563 rows of each
 * of 100 runs into buckets took PostgreSQL over half a second.
 */
export const ROLLUP_ROWS_PER_CHART = 40_000;

/** A part of a step range: rollup buckets `lo..hi` of one width, or raw points at steps `lo..hi` (width 0). */
type Piece = { width: number; lo: bigint; hi: bigint };

/**
 * Tiles steps a..b with the whole rollup buckets of `ROLLUP_WIDTHS[level]` in the middle and, at
 * either end, the whole buckets of the next finer width, and so on down to raw points, so that an
 * edge costs at most 7 rows a width and 63 raw points.
 */
function tile(a: bigint, b: bigint, level: number, pieces: Piece[]): void {
  if (a > b) return;
  if (level < 0) {
    pieces.push({ width: 0, lo: a, hi: b });
    return;
  }
  const width = ROLLUP_WIDTHS[level]!;
  const shift = BigInt(shiftOf(width));
  const w = BigInt(width);
  const first = (a + w - 1n) >> shift;
  const last = ((b + 1n) >> shift) - 1n;
  if (first > last) return tile(a, b, level - 1, pieces);
  pieces.push({ width, lo: first, hi: last });
  tile(a, first * w - 1n, level - 1, pieces);
  tile((last + 1n) * w, b, level - 1, pieces);
}

/**
 * How a step range lo..hi (the first and last step present) is charted from rollups in at most
 * `maxBuckets` buckets, or null when its buckets would be narrower than the finest rollup (the raw
 * path is as fast there). The width is the largest not above ceil(span / maxBuckets), or a coarser
 * one when the range would take more than `maxRows` rollup rows at it (a series' share of
 * `ROLLUP_ROWS_PER_CHART`); chart buckets are `m` consecutive buckets of that width, aligned to its
 * boundaries (bucket k covers buckets base + k·m … base + k·m + m − 1). The `pieces` tile lo..hi
 * exactly: whole buckets of the width, finer whole buckets at the edges, raw points at the very
 * ends; each piece's rows fall inside one chart bucket. Arithmetic in BigInt: steps are int64.
 */
export function rollupPlan(lo: number, hi: number, maxBuckets: number, maxRows = ROLLUP_ROWS_PER_CHART) {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) throw new RangeError(`Invalid step range ${lo}..${hi}`);
  const span = BigInt(hi) - BigInt(lo) + 1n;
  const max = BigInt(maxBuckets);
  const target = (span + max - 1n) / max;
  let level = ROLLUP_WIDTHS.findLastIndex((w) => BigInt(w) <= target);
  if (level < 0) return null;
  while (level < ROLLUP_WIDTHS.length - 1 && Number(span / BigInt(ROLLUP_WIDTHS[level]!)) > Math.max(1, maxRows)) level++;
  const width = ROLLUP_WIDTHS[level]!;
  const w = BigInt(width);
  const shift = BigInt(shiftOf(width));
  const [low, high] = [BigInt(lo), BigInt(hi)];
  const base = low >> shift;
  const m = ((high >> shift) - base + 1n + max - 1n) / max;
  const pieces: Piece[] = [];
  tile(low, high, level, pieces);
  return {
    width,
    shift: Number(shift),
    base,
    /** Buckets of `width` per chart bucket. */
    m,
    bucketWidth: Number(m * w),
    pieces,
  };
}

export type RollupPlan = NonNullable<ReturnType<typeof rollupPlan>>;
