import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { chartSeries, type ChartBuckets } from "../../server/services/tracking/chart-series";
import { uuidOfRunId } from "../../server/services/tracking/ids";
import { logBatch } from "../../server/services/tracking/logging";
import { purgeDeletedRuns } from "../../server/services/tracking/purge";
import { ROLLUP_ROWS_PER_CHART, ROLLUP_WIDTHS, rollupPlan } from "../../server/services/tracking/rollups";
import { createRun, deleteRun } from "../../server/services/tracking/runs";
import { projectContext } from "../support/factories";
import { seededRandom as random } from "../../server/services/demo/random";
import { asBuckets, foldBuckets, orderOn, type Point } from "../support/reference-buckets";

const byStep = orderOn("step");
const keyOf = (p: Point) => `${p.step}/${p.timestamp}/${Object.is(p.value, -0) ? 0 : p.value}`;

const send = (ctx: ProjectContext, runId: string, key: string, points: Point[]) =>
  logBatch({ ctx, input: { runId, metrics: points.map((p) => ({ key, ...p })) } });

async function seriesOf(runId: string, key: string) {
  const [row] = await getDb().execute<{ id: number | string; count: number | string; rolled_up: boolean }>(
    sql`select id, count, rolled_up from metric_series where run_id = ${uuidOfRunId(runId)}::uuid and key = ${key}`,
  );
  return { id: Number(row!.id), count: Number(row!.count), rolledUp: row!.rolled_up, threshold: 32768 + (Number(row!.id) % 32768) };
}

async function storedPoints(seriesId: number): Promise<Point[]> {
  const rows = await getDb().execute<Point>(
    sql`select step::float8 as step, "timestamp"::float8 as "timestamp", value from metric_points where series_id = ${seriesId} order by step, "timestamp", value`,
  );
  return rows.map((r) => ({ step: r.step, timestamp: r.timestamp, value: r.value }));
}

type RollupRow = {
  width: number;
  bucket: number;
  count: number;
  min: number | null;
  max: number | null;
  x0: number;
  x1: number;
  last: [number, number, number];
};

/** Every rollup row the points imply, computed in JS. */
function expectedRollups(points: Point[]): RollupRow[] {
  const out: RollupRow[] = [];
  for (const width of ROLLUP_WIDTHS) {
    const groups = new Map<number, Point[]>();
    for (const p of points) {
      const b = Math.floor(p.step / width);
      const list = groups.get(b);
      if (list) list.push(p);
      else groups.set(b, [p]);
    }
    for (const bucket of [...groups.keys()].sort((a, b) => a - b)) {
      const group = groups.get(bucket)!.sort(byStep);
      const finite = group.map((p) => p.value).filter((v) => !Number.isNaN(v));
      const last = group.at(-1)!;
      out.push({
        width,
        bucket,
        count: group.length,
        min: finite.length ? Math.min(...finite) : null,
        max: finite.length ? Math.max(...finite) : null,
        x0: group[0]!.step,
        x1: last.step,
        last: [last.step, last.timestamp, last.value],
      });
    }
  }
  return out;
}

async function storedRollups(seriesId: number): Promise<RollupRow[]> {
  const rows = await getDb().execute<Omit<RollupRow, "last"> & { last_step: number; last_timestamp: number; last_value: number }>(sql`
    select width, bucket::float8 as bucket, count::float8 as count, min, max, x0::float8 as x0, x1::float8 as x1,
           last_step::float8 as last_step, last_timestamp::float8 as last_timestamp, last_value
    from metric_rollups where series_id = ${seriesId} order by width, bucket`);
  return rows.map((r) => ({
    width: r.width,
    bucket: r.bucket,
    count: r.count,
    min: r.min,
    max: r.max,
    x0: r.x0,
    x1: r.x1,
    last: [r.last_step, r.last_timestamp, r.last_value],
  }));
}

/** A rollup row equals the aggregate of its raw points, for every row, and no row is missing or extra. */
async function expectRollupsExact(seriesId: number, label: string) {
  const points = await storedPoints(seriesId);
  expect(await storedRollups(seriesId), label).toEqual(expectedRollups(points));
  return points;
}

/** Chart buckets the slow way, on the grid the rollup plan gives (aligned to rollup boundaries). */
function referenceRollupBuckets(points: Point[], lo: number, hi: number, maxPoints: number, maxRows?: number): ChartBuckets {
  const plan = rollupPlan(lo, hi, maxPoints, maxRows)!;
  const groups = new Map<bigint, Point[]>();
  for (const p of points) {
    if (p.step < lo || p.step > hi) continue;
    const k = ((BigInt(p.step) >> BigInt(plan.shift)) - plan.base) / plan.m;
    const list = groups.get(k);
    if (list) list.push(p);
    else groups.set(k, [p]);
  }
  return foldBuckets(groups, "step");
}

/**
 * A long noisy series with one-step spikes of distinct heights (alternating up and down), the odd
 * non-finite value, repeated steps (a second timestamp) and gaps; returns the points and the spikes.
 */
function spikySeries(n: number, seed: number, spikes: number) {
  const rand = random(seed);
  const points: Point[] = [];
  let step = 0;
  while (points.length < n) {
    step += rand() < 0.02 ? 2 + Math.floor(rand() * 40) : 1;
    const value = Math.sin(step / 500) + (rand() - 0.5) * 0.1;
    points.push({ step, timestamp: 1_700_000_000_000 + step * 10, value });
    if (rand() < 0.01) points.push({ step, timestamp: 1_700_000_000_000 + step * 10 + 1, value: value + 0.01 });
  }
  for (const i of [101, 5_003, 17_777]) points[i]!.value = Number.NaN;
  points[9_001]!.value = Number.POSITIVE_INFINITY;
  points[23_456]!.value = Number.NEGATIVE_INFINITY;
  const planted: Point[] = [];
  const used = new Set<number>();
  while (planted.length < spikes) {
    const i = Math.floor(rand() * points.length);
    if (used.has(i) || !Number.isFinite(points[i]!.value)) continue;
    used.add(i);
    const height = 10 + planted.length;
    points[i]!.value = planted.length % 2 ? -height : height;
    planted.push(points[i]!);
  }
  return { points, planted };
}

describe("metric rollups", () => {
  it(
    "are built when a series reaches the threshold and stay equal to the aggregate of its points through retries, duplicates and out-of-order batches",
    { timeout: 120_000 },
    async () => {
      const seed = Date.now() % 1_000_000;
      const rand = random(seed);
      const { ctx } = await projectContext();
      const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
      const { points } = spikySeries(70_000, seed, 20);
      // Batches of 1,000 in a shuffled order, so later steps arrive before earlier ones.
      const batches: Point[][] = [];
      for (let i = 0; i < points.length; i += 1000) batches.push(points.slice(i, i + 1000));
      for (let i = batches.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [batches[i], batches[j]] = [batches[j]!, batches[i]!];
      }
      await send(ctx, runId, "loss", batches[0]!);
      const { id, threshold } = await seriesOf(runId, "loss");
      let sent = batches[0]!.length;
      let i = 1;
      // Up to just below the threshold: no rollups yet.
      while (sent + batches[i]!.length < threshold) {
        await send(ctx, runId, "loss", batches[i]!);
        sent += batches[i]!.length;
        i++;
      }
      expect(await seriesOf(runId, "loss"), `seed ${seed}`).toMatchObject({ count: sent, rolledUp: false });
      expect(await storedRollups(id)).toEqual([]);
      // The batch that crosses it also repeats points already stored (a partly retried batch) and
      // holds the same point twice.
      await send(ctx, runId, "loss", [...batches[i]!.slice(0, 949), ...batches[0]!.slice(0, 50), batches[i]![7]!]);
      await send(ctx, runId, "loss", batches[i]!.slice(949));
      sent += batches[i]!.length;
      i++;
      expect(await seriesOf(runId, "loss"), `seed ${seed}`).toMatchObject({ count: sent, rolledUp: true });
      await expectRollupsExact(id, `seed ${seed}: after crossing`);

      // The rest, each followed now and then by a retry of an earlier batch (a no-op).
      for (; i < batches.length; i++) {
        await send(ctx, runId, "loss", batches[i]!);
        if (i % 7 === 0) await send(ctx, runId, "loss", batches[Math.floor(rand() * i)]!);
      }
      const stored = await expectRollupsExact(id, `seed ${seed}: all batches`);
      expect(stored.length).toBe(new Set(points.map(keyOf)).size);
      expect((await seriesOf(runId, "loss")).count).toBe(stored.length);
      // A whole retried batch adds nothing anywhere.
      await send(ctx, runId, "loss", batches[3]!);
      await expectRollupsExact(id, `seed ${seed}: retried`);
      expect((await seriesOf(runId, "loss")).count).toBe(stored.length);
    },
  );

  it("stay exact under concurrent batches of the same series, including the one that crosses the threshold", { timeout: 120_000 }, async () => {
    const seed = (Date.now() + 1) % 1_000_000;
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
    const { points } = spikySeries(80_000, seed, 10);
    await send(ctx, runId, "m", points.slice(0, 1000));
    const { id, threshold } = await seriesOf(runId, "m");
    for (let i = 1000; i + 1000 < threshold - 4000; i += 1000) await send(ctx, runId, "m", points.slice(i, i + 1000));
    const sentSoFar = (await seriesOf(runId, "m")).count;
    // Eight writers at once, each with batches that overlap the next writer's (shared points) and
    // interleave in steps, until well past the threshold.
    const rest = points.slice(sentSoFar);
    const writers = Array.from({ length: 8 }, (_, w) => rest.filter((_, j) => j % 8 === w || j % 8 === (w + 1) % 8));
    await Promise.all(
      writers.map(async (mine) => {
        for (let j = 0; j < mine.length; j += 700) await send(ctx, runId, "m", mine.slice(j, j + 700));
      }),
    );
    expect(await seriesOf(runId, "m")).toMatchObject({ rolledUp: true, count: new Set(points.map(keyOf)).size });
    await expectRollupsExact(id, `seed ${seed}: concurrent`);
  });

  it("keep every one-step spike visible as a bucket's min or max at every zoom level, exactly as computed from all points", { timeout: 180_000 }, async () => {
    const seed = (Date.now() + 2) % 1_000_000;
    const rand = random(seed);
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
    const { points, planted } = spikySeries(100_000, seed, 40);
    for (let i = 0; i < points.length; i += 1000) await send(ctx, runId, "loss", points.slice(i, i + 1000));
    const series = await seriesOf(runId, "loss");
    expect(series.rolledUp).toBe(true);
    const sorted = await expectRollupsExact(series.id, `seed ${seed}`);
    const first = sorted[0]!.step;
    const lastStep = sorted.at(-1)!.step;

    const windows: { min: number; max: number; maxPoints: number }[] = [{ min: first, max: lastStep, maxPoints: 1000 }];
    for (const span of [lastStep, lastStep / 3, 50_000, 20_000, 5_000, 2_000, 700]) {
      for (let k = 0; k < 4; k++) {
        const lo = first - 100 + rand() * (lastStep - span + 200);
        windows.push({ min: lo, max: lo + span + rand() * 10, maxPoints: [10, 100, 300, 1000, 5000][Math.floor(rand() * 5)]! });
      }
    }
    let fromRollups = 0;
    for (const w of windows) {
      const input = { runIds: [runId], metricKey: "loss", xAxis: "step" as const, maxPoints: w.maxPoints, range: { min: w.min, max: w.max } };
      const full = w === windows[0];
      const reply = (await chartSeries({ ctx, input: full ? { ...input, range: undefined } : input })).runs[0]!;
      const lo = Math.ceil(w.min);
      const hi = Math.floor(w.max);
      const inside = sorted.filter((p) => p.step >= lo && p.step <= hi);
      const label = `seed ${seed}: window ${lo}..${hi}, maxPoints ${w.maxPoints}`;
      expect(reply.pointsInRange, label).toBe(inside.length);
      if (!inside.length) continue;
      if (reply.exact) {
        expect(reply.points.step.length, label).toBeLessThanOrEqual(w.maxPoints);
        continue;
      }
      const buckets = asBuckets(reply);
      expect(buckets.x0.length, label).toBeLessThanOrEqual(w.maxPoints);
      const plan = rollupPlan(inside[0]!.step, inside.at(-1)!.step, w.maxPoints);
      if (plan) {
        fromRollups++;
        expect(reply, label).toMatchObject({ bucketWidth: plan.bucketWidth });
        expect(buckets, label).toEqual(referenceRollupBuckets(sorted, inside[0]!.step, inside.at(-1)!.step, w.maxPoints));
      }
      for (const spike of planted.filter((p) => p.step >= lo && p.step <= hi)) {
        const b = buckets.x0.findIndex((x0, j) => x0 <= spike.step && spike.step <= buckets.x1[j]!);
        expect(b, `${label}: no bucket holds the spike at ${spike.step}`).toBeGreaterThanOrEqual(0);
        const extreme = spike.value > 0 ? buckets.max[b] : buckets.min[b];
        // Spikes have distinct heights: the bucket's extreme is this spike, a taller one in it, or
        // one of the series' two infinities.
        if (spike.value > 0) expect(extreme, `${label}: spike at ${spike.step}`).toBeGreaterThanOrEqual(spike.value);
        else expect(extreme, `${label}: spike at ${spike.step}`).toBeLessThanOrEqual(spike.value);
        expect(
          !Number.isFinite(extreme) || planted.some((p) => p.value === extreme && p.step >= buckets.x0[b]! && p.step <= buckets.x1[b]!),
          `${label}: spike at ${spike.step}`,
        ).toBe(true);
      }
    }
    expect(fromRollups, `seed ${seed}`).toBeGreaterThan(10);
  });

  it("share a chart's rows among its runs: coarser buckets for an overlay, still exact and keeping every spike", { timeout: 180_000 }, async () => {
    const seed = (Date.now() + 3) % 1_000_000;
    const { ctx } = await projectContext();
    const runs: { runId: string; points: Point[]; planted: Point[] }[] = [];
    for (let r = 0; r < 4; r++) {
      const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
      // Steps 15 apart: 1.5 million steps, where 5,000 buckets of one run read 23,000 rows of 64.
      const { points, planted } = spikySeries(70_000, seed + r, 20);
      for (const p of points) p.step *= 15;
      for (let i = 0; i < points.length; i += 1000) await send(ctx, runId, "loss", points.slice(i, i + 1000));
      expect((await seriesOf(runId, "loss")).rolledUp).toBe(true);
      runs.push({ runId, points: [...points].sort(byStep), planted });
    }
    const maxRows = ROLLUP_ROWS_PER_CHART / runs.length;
    const lo = Math.min(...runs.map((r) => r.points[0]!.step));
    const hi = Math.max(...runs.map((r) => r.points.at(-1)!.step));
    for (const range of [undefined, { min: lo + (hi - lo) * 0.1, max: lo + (hi - lo) * 0.9 }]) {
      const reply = await chartSeries({ ctx, input: { runIds: runs.map((r) => r.runId), metricKey: "loss", xAxis: "step", maxPoints: 5000, range } });
      for (const [i, run] of runs.entries()) {
        const inside = run.points.filter((p) => !range || (p.step >= Math.ceil(range.min) && p.step <= Math.floor(range.max)));
        const [first, last] = [inside[0]!.step, inside.at(-1)!.step];
        const label = `seed ${seed}: run ${i}, ${range ? "zoomed" : "whole"}`;
        const shared = rollupPlan(first, last, 5000, maxRows)!;
        expect(shared.width, label).toBeGreaterThan(rollupPlan(first, last, 5000)!.width);
        expect(reply.runs[i], label).toMatchObject({ exact: false, bucketWidth: shared.bucketWidth, pointsInRange: inside.length });
        const buckets = asBuckets(reply.runs[i]);
        expect(buckets, label).toEqual(referenceRollupBuckets(run.points, first, last, 5000, maxRows));
        for (const spike of run.planted.filter((p) => p.step >= first && p.step <= last)) {
          const b = buckets.x0.findIndex((x0, j) => x0 <= spike.step && spike.step <= buckets.x1[j]!);
          const extreme = spike.value > 0 ? buckets.max[b]! : -buckets.min[b]!;
          expect(extreme, `${label}: spike at ${spike.step}`).toBeGreaterThanOrEqual(Math.abs(spike.value));
        }
      }
    }
  });

  it("are backfilled by the migration for series that already qualify, as ingest builds them", async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
    // A long series written before rollups existed: points and series row only.
    const { points } = spikySeries(70_000, 5, 10);
    await send(ctx, runId, "old", points.slice(0, 10));
    const { id } = await seriesOf(runId, "old");
    const rest = points.slice(10);
    await getDb().execute(sql`
      insert into metric_points (series_id, step, timestamp, value)
      select ${id}, s, t, v from unnest(${sql.param(rest.map((p) => p.step))}::bigint[], ${sql.param(rest.map((p) => p.timestamp))}::bigint[],
                                    ${sql.param(rest.map((p) => (Number.isFinite(p.value) ? p.value : String(p.value))))}::float8[]) as u(s, t, v)`);
    await getDb().execute(sql`update metric_series set count = ${points.length} where id = ${id}`);
    expect(await seriesOf(runId, "old")).toMatchObject({ rolledUp: false, count: 70_000 });
    const migration = readFileSync(new URL("../../drizzle/0009_metric_rollups.sql", import.meta.url), "utf8").split("--> statement-breakpoint");
    const backfill = migration.filter((statement) => /INSERT INTO "metric_rollups"|UPDATE "metric_series"/.test(statement));
    expect(backfill).toHaveLength(2);
    for (const statement of backfill) await getDb().execute(sql.raw(statement));
    expect((await seriesOf(runId, "old")).rolledUp).toBe(true);
    await expectRollupsExact(id, "backfilled");
    // Ingest then merges into them.
    await send(ctx, runId, "old", [{ step: 1_000_000, timestamp: 1, value: -3 }]);
    await expectRollupsExact(id, "backfilled, then logged");
  });

  it("go with their run when it is purged", { timeout: 120_000 }, async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
    const points = Array.from({ length: 66_000 }, (_, step) => ({ step, timestamp: step, value: step % 13 }));
    for (let i = 0; i < points.length; i += 1000) await send(ctx, runId, "m", points.slice(i, i + 1000));
    const { id, rolledUp } = await seriesOf(runId, "m");
    expect(rolledUp).toBe(true);
    expect((await storedRollups(id)).length).toBeGreaterThan(1000);
    await deleteRun({ ctx, input: { runId } });
    expect(await purgeDeletedRuns(ctx, new Date(Date.now() + 1000))).toEqual({ runs: 1 });
    expect(await storedRollups(id)).toEqual([]);
    const orphans = await getDb().execute<{ n: number }>(
      sql`select count(*)::int as n from metric_rollups r where not exists (select 1 from metric_series s where s.id = r.series_id)`,
    );
    expect(orphans[0]!.n).toBe(0);
  });
});
