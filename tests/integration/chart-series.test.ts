import { sql } from "drizzle-orm";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { bucketGrid, bucketOf, chartKeys, chartSeries } from "../../server/services/tracking/chart-series";
import { uuidOfRunId } from "../../server/services/tracking/ids";
import { logBatch } from "../../server/services/tracking/logging";
import { buildRollups } from "../../server/services/tracking/rollups";
import { createRun } from "../../server/services/tracking/runs";
import { callerFor, outcome, projectContext, sessionOf } from "../support/factories";
import { seededRandom as random } from "../../server/services/demo/random";
import { asBuckets, foldBuckets, orderOn, type Point } from "../support/reference-buckets";

async function log(ctx: ProjectContext, runId: string, key: string, points: Point[]) {
  for (let i = 0; i < points.length; i += 1000) {
    await logBatch({ ctx, input: { runId, metrics: points.slice(i, i + 1000).map((p) => ({ key, ...p })) } });
  }
}

async function runWith(ctx: ProjectContext, key: string, points: Point[], startTime = 1_700_000_000_000) {
  const runId = (await createRun({ ctx, input: { startTime, runName: `run-${points.length}` } })).info.runId;
  await log(ctx, runId, key, points);
  return runId;
}

/** What the database must answer, computed the slow way from every point. */
function referenceBuckets(points: Point[], x: "step" | "timestamp", maxPoints: number, window?: { lo: number; hi: number }) {
  const inside = points.filter((p) => !window || (p[x] >= window.lo && p[x] <= window.hi));
  const xs = inside.map((p) => p[x]);
  const grid = bucketGrid(Math.min(...xs), Math.max(...xs), maxPoints);
  const groups = new Map<number, Point[]>();
  for (const p of inside) groups.set(bucketOf(p[x], grid), [...(groups.get(bucketOf(p[x], grid)) ?? []), p]);
  return foldBuckets(groups, x);
}

/** A noisy curve with spikes planted at random steps; returns the points and the spikes. */
function noisySeries(n: number, seed: number, spikes: number) {
  const rand = random(seed);
  const points: Point[] = Array.from({ length: n }, (_, step) => ({
    step,
    timestamp: 1_700_000_000_000 + step * 250 + Math.floor(rand() * 100),
    value: Math.exp(-step / n) + (rand() - 0.5) * 0.05,
  }));
  const planted: Point[] = [];
  for (let i = 0; i < spikes; i++) {
    const p = points[Math.floor(rand() * n)]!;
    p.value = i % 2 ? -50 - rand() * 10 : 50 + rand() * 10;
    planted.push(p);
  }
  return { points, planted };
}

describe("chart series", () => {
  it("returns the raw points, in step order, when they fit the budget", async () => {
    const { ctx } = await projectContext();
    const points = Array.from({ length: 50 }, (_, i) => ({ step: 49 - i, timestamp: 1000 + i, value: i / 10 }));
    const runId = await runWith(ctx, "loss", points);
    const reply = await chartSeries({ ctx, input: { runIds: [runId], metricKey: "loss", xAxis: "step" } });
    const [series] = reply.runs;
    expect(series).toMatchObject({ runId, totalPoints: 50, pointsInRange: 50, exact: true, startTime: 1_700_000_000_000 });
    const sorted = [...points].sort(orderOn("step"));
    expect(series!.points).toEqual({ step: sorted.map((p) => p.step), timestamp: sorted.map((p) => p.timestamp), value: sorted.map((p) => p.value) });
    // On the time axis the same points come in timestamp order.
    const byTime = (await chartSeries({ ctx, input: { runIds: [runId], metricKey: "loss", xAxis: "time" } })).runs[0]!;
    expect(byTime.exact && byTime.points.timestamp).toEqual(points.map((p) => p.timestamp));
  });

  it("keeps every spike as the max or min of its bucket, exactly as computed from all points", async () => {
    const seed = Date.now() % 1_000_000;
    const { ctx } = await projectContext();
    const { points, planted } = noisySeries(20_000, seed, 24);
    const runId = await runWith(ctx, "noisy", points);
    const reply = await chartSeries({ ctx, input: { runIds: [runId], metricKey: "noisy", xAxis: "step", maxPoints: 300 } });
    const series = reply.runs[0]!;
    expect(series, `seed ${seed}`).toMatchObject({ exact: false, totalPoints: 20_000, pointsInRange: 20_000, bucketWidth: 67 });
    const buckets = asBuckets(series);
    expect(buckets.x0.length).toBeLessThanOrEqual(300);
    expect(buckets.count.reduce((a, b) => a + b, 0)).toBe(20_000);
    for (const spike of planted) {
      const i = buckets.x0.findIndex((x0, j) => x0 <= spike.step && spike.step <= buckets.x1[j]!);
      expect(i, `seed ${seed}: no bucket holds step ${spike.step}`).toBeGreaterThanOrEqual(0);
      // Two spikes may share a bucket: the band then reaches the larger one, never less.
      if (spike.value > 0) expect(buckets.max[i], `seed ${seed}: spike at step ${spike.step}`).toBeGreaterThanOrEqual(spike.value);
      else expect(buckets.min[i], `seed ${seed}: spike at step ${spike.step}`).toBeLessThanOrEqual(spike.value);
      const extreme = spike.value > 0 ? buckets.max[i] : buckets.min[i];
      expect(
        planted.some((p) => p.value === extreme),
        `seed ${seed}: bucket of step ${spike.step} lost its spike`,
      ).toBe(true);
    }
    expect(Math.max(...buckets.max.map(Number))).toBe(Math.max(...points.map((p) => p.value)));
    expect(Math.min(...buckets.min.map(Number))).toBe(Math.min(...points.map((p) => p.value)));
    expect(buckets, `seed ${seed}`).toEqual(referenceBuckets(points, "step", 300));
  });

  it("is deterministic", async () => {
    const { ctx } = await projectContext();
    const { points } = noisySeries(5_000, 7, 5);
    const runId = await runWith(ctx, "m", points);
    const input = { runIds: [runId], metricKey: "m", xAxis: "time" as const, maxPoints: 100 };
    const first = await chartSeries({ ctx, input });
    expect(first.runs[0]!.exact).toBe(false);
    for (let i = 0; i < 3; i++) expect(await chartSeries({ ctx, input })).toEqual(first);
    expect(asBuckets(first.runs[0])).toEqual(referenceBuckets(points, "timestamp", 100));
  });

  it("honours ranges: exact points of the range once they fit, buckets of the range otherwise", async () => {
    const { ctx } = await projectContext();
    const { points } = noisySeries(10_000, 11, 10);
    const runId = await runWith(ctx, "m", points);
    const zoom = async (min: number, max: number) =>
      (await chartSeries({ ctx, input: { runIds: [runId], metricKey: "m", xAxis: "step", maxPoints: 1000, range: { min, max } } })).runs[0]!;

    const wide = await zoom(1000.5, 7999.2);
    expect(wide).toMatchObject({ exact: false, totalPoints: 10_000, pointsInRange: 6999 });
    const wideBuckets = asBuckets(wide);
    expect(wideBuckets.x0[0]).toBe(1001);
    expect(wideBuckets.x1.at(-1)).toBe(7999);
    expect(wideBuckets).toEqual(referenceBuckets(points, "step", 1000, { lo: 1001, hi: 7999 }));

    const close = await zoom(4200, 4799);
    expect(close).toMatchObject({ exact: true, totalPoints: 10_000, pointsInRange: 600 });
    const expected = points.filter((p) => p.step >= 4200 && p.step <= 4799);
    expect(close.points).toEqual({ step: expected.map((p) => p.step), timestamp: expected.map((p) => p.timestamp), value: expected.map((p) => p.value) });

    expect(await zoom(20_000, 30_000)).toMatchObject({ exact: true, pointsInRange: 0, points: { step: [], timestamp: [], value: [] } });
    expect(await zoom(4200.2, 4200.8)).toMatchObject({ exact: true, pointsInRange: 0 });
  });

  it("keeps NaN and infinities: min and max skip NaN, the last point keeps it", async () => {
    const { ctx } = await projectContext();
    const points: Point[] = Array.from({ length: 40 }, (_, step) => ({ step, timestamp: step, value: step }));
    points[3]!.value = Number.POSITIVE_INFINITY;
    points[12]!.value = Number.NEGATIVE_INFINITY;
    for (const step of [20, 21, 22, 23]) points[step]!.value = Number.NaN; // a whole bucket of NaN
    points[39]!.value = Number.NaN;
    const runId = await runWith(ctx, "odd", points);

    const exact = (await chartSeries({ ctx, input: { runIds: [runId], metricKey: "odd", xAxis: "step" } })).runs[0]!;
    expect(exact.exact && exact.points.value).toEqual(points.map((p) => p.value));

    const buckets = asBuckets((await chartSeries({ ctx, input: { runIds: [runId], metricKey: "odd", xAxis: "step", maxPoints: 10 } })).runs[0]);
    expect(buckets.count).toEqual(Array(10).fill(4));
    expect(buckets.max[0]).toBe(Number.POSITIVE_INFINITY);
    expect(buckets.min[3]).toBe(Number.NEGATIVE_INFINITY);
    expect([buckets.min[5], buckets.max[5], buckets.last[5]]).toEqual([null, null, Number.NaN]);
    expect([buckets.min[9], buckets.max[9], buckets.last[9], buckets.lastStep[9]]).toEqual([36, 38, Number.NaN, 39]);
    expect(buckets).toEqual(referenceBuckets(points, "step", 10));
    // The transport keeps them too.
    const wire = superjson.parse<typeof buckets>(superjson.stringify(buckets));
    expect(wire).toEqual(buckets);
  });

  it("charts several runs at once, in the order asked, and a run without the metric as empty", async () => {
    const { ctx } = await projectContext();
    const a = await runWith(ctx, "m", noisySeries(3_000, 1, 2).points, 1_000);
    const b = await runWith(ctx, "m", noisySeries(400, 2, 1).points, 2_000);
    const c = await runWith(ctx, "other", [{ step: 0, timestamp: 1, value: 1 }], 3_000);
    const reply = await chartSeries({ ctx, input: { runIds: [b, c, a, b], metricKey: "m", xAxis: "step", maxPoints: 1000 } });
    expect(reply.runs.map((r) => [r.runId, r.startTime, r.totalPoints, r.exact])).toEqual([
      [b, 2_000, 400, true],
      [c, 3_000, 0, true],
      [a, 1_000, 3_000, false],
    ]);
    expect(await chartKeys({ ctx, input: { runIds: [a, b, c] } })).toEqual([
      { key: "m", runCount: 2, pointCount: 3_400 },
      { key: "other", runCount: 1, pointCount: 1 },
    ]);
  });

  it("buckets by wall time, and reads each run over its own window on the relative-time axis", async () => {
    const { ctx } = await projectContext();
    // Timestamps run backwards against steps, so the time axis must not follow step order.
    const series = (start: number) => Array.from({ length: 2_000 }, (_, i) => ({ step: i, timestamp: start + (2_000 - i) * 1000, value: i % 97 }));
    const early = series(1_000_000);
    const late = series(50_000_000);
    const a = await runWith(ctx, "m", early, 1_000_000);
    const b = await runWith(ctx, "m", late, 50_000_000);

    const whole = await chartSeries({ ctx, input: { runIds: [a], metricKey: "m", xAxis: "time", maxPoints: 200 } });
    expect(asBuckets(whole.runs[0])).toEqual(referenceBuckets(early, "timestamp", 200));

    // Seconds 100..399 after each run's start: 300 points each, exact.
    const relative = await chartSeries({
      ctx,
      input: { runIds: [a, b], metricKey: "m", xAxis: "time", range: { min: 100_000, max: 399_000, relative: true } },
    });
    for (const [run, start] of [
      [relative.runs[0]!, 1_000_000],
      [relative.runs[1]!, 50_000_000],
    ] as const) {
      expect(run).toMatchObject({ exact: true, pointsInRange: 300, startTime: start });
      if (run.exact) expect(run.points.timestamp.map((t) => t - start)).toEqual(Array.from({ length: 300 }, (_, i) => (100 + i) * 1000));
    }
  });

  it("refuses bad input and runs of another project", async () => {
    const { ctx, owner } = await projectContext();
    const other = await projectContext();
    const runId = await runWith(ctx, "m", [{ step: 0, timestamp: 0, value: 1 }]);
    const foreign = await runWith(other.ctx, "m", [{ step: 0, timestamp: 0, value: 1 }]);
    const api = callerFor(sessionOf(owner));
    const base = { projectSlug: ctx.project.slug, metricKey: "m", xAxis: "step" as const };
    expect(await outcome(() => api.chart.series({ ...base, runIds: [runId] }))).toBe("OK");
    expect(await outcome(() => api.chart.series({ ...base, runIds: [runId, foreign] }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.chart.keys({ projectSlug: ctx.project.slug, runIds: [foreign] }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.chart.series({ ...base, runIds: [] }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api.chart.series({ ...base, runIds: [runId], maxPoints: 5001 }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api.chart.series({ ...base, runIds: [runId], range: { min: 5, max: 1 } }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api.chart.series({ ...base, runIds: [runId], range: { min: 0, max: 1, relative: true } }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api.chart.series({ ...base, runIds: Array(101).fill(runId) }))).toBe("BAD_REQUEST");
  });

  it(
    "reduces 100,000 and 1,000,000 points to at most maxPoints buckets with a bounded payload, from rollups on the step axis",
    { timeout: 600_000 },
    async () => {
      const { ctx } = await projectContext();
      const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";
      for (const n of [100_000, 1_000_000]) {
        const runId = (await createRun({ ctx, input: { startTime: 1_700_000_000_000 } })).info.runId;
        // One statement for the points; the series row is then summed up as logBatch would leave it.
        const [series] = await getDb().execute<{ id: number }>(sql`
        insert into metric_series (run_id, key, value, step, timestamp, count)
        values (${uuidOfRunId(runId)}::uuid, 'loss', 0, 0, 0, 0) returning id`);
        const inserted = Date.now();
        await getDb().execute(sql`
        insert into metric_points (series_id, step, timestamp, value)
        select ${series!.id}, g, 1700000000000 + g * 37, exp(-g / ${n}::float8) + sin(g * 0.7) * 0.02 + case when g % 99991 = 12345 then 5 else 0 end
        from generate_series(0, ${n - 1}) g`);
        await getDb().execute(sql`
        update metric_series set count = t.n, min = t.lo, max = t.hi, value = t.last, step = ${n - 1}, timestamp = ${1_700_000_000_000 + (n - 1) * 37}
        from (select count(*) as n, min(value) as lo, max(value) as hi, (array_agg(value order by step desc))[1] as last
              from metric_points where series_id = ${series!.id}) t
        where metric_series.id = ${series!.id}`);
        // The rollups logBatch builds when a series this long reaches the threshold.
        await buildRollups(getDb(), [{ runId: uuidOfRunId(runId)!, id: series!.id }]);
        const insertSeconds = (Date.now() - inserted) / 1000;
        const [summary] = await getDb().execute<{ min: number; max: number }>(
          sql`select min, max from metric_series where run_id = ${uuidOfRunId(runId)}::uuid`,
        );

        for (const xAxis of ["step", "time"] as const) {
          const started = performance.now();
          const reply = await chartSeries({ ctx, input: { runIds: [runId], metricKey: "loss", xAxis } });
          const ms = performance.now() - started;
          const payload = superjson.stringify(reply).length;
          const buckets = asBuckets(reply.runs[0]);
          // Rollup-aligned buckets on the step axis are a whole number of rollups wide: at least half the budget.
          expect(buckets.x0.length).toBeGreaterThan(xAxis === "step" ? 500 : 900);
          expect(buckets.x0.length).toBeLessThanOrEqual(1000);
          expect(buckets.count.reduce((a, b) => a + b, 0)).toBe(n);
          expect(Math.max(...buckets.max.map(Number))).toBe(summary!.max);
          expect(Math.min(...buckets.min.map(Number))).toBe(summary!.min);
          expect(payload).toBeLessThan(200_000);

          const zoomStarted = performance.now();
          const zoomed = await chartSeries({ ctx, input: { runIds: [runId], metricKey: "loss", xAxis: "step", range: { min: n / 2, max: n / 2 + 999 } } });
          const zoomMs = performance.now() - zoomStarted;
          expect(zoomed.runs[0]).toMatchObject({ exact: true, pointsInRange: 1000 });
          console.log(
            `[chart-series] ${database} ${n.toLocaleString("en")} points, ${xAxis} axis: ${ms.toFixed(0)} ms, ` +
              `${buckets.x0.length} buckets, payload ${(payload / 1024).toFixed(1)} KiB (superjson); ` +
              `zoom to 1,000 exact points ${zoomMs.toFixed(0)} ms; inserted in ${insertSeconds.toFixed(1)} s`,
          );
        }
      }
    },
  );
});
