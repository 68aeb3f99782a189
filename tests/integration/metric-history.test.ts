import { asc, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { metricPoints, metricSeries } from "../../server/db/schema";
import { encodeToken } from "../../server/services/page-token";
import { logBatch } from "../../server/services/tracking/logging";
import { getMetricHistory } from "../../server/services/tracking/metric-history";
import { createRun } from "../../server/services/tracking/runs";
import { projectContext } from "../support/factories";

type Ctx = Awaited<ReturnType<typeof projectContext>>["ctx"];

/** Longer than one statement's chunk, so that a full read takes several and the key-order check runs. */
const POINTS = 60_000;

/**
 * A series of POINTS points written straight into the table (logging them batch by batch would take
 * minutes): one point a step, timestamps rising with the step unless `late` steps carry timestamps
 * from before the run began; values with long decimals, NaN at step 29,999 (the last point of a
 * 30,000-point page) and infinities here and there.
 */
async function longSeries(ctx: Ctx, key: string, late: [number, number] | null) {
  const runId = (await createRun({ ctx, input: {} })).info.runId;
  await logBatch({ ctx, input: { runId, metrics: [{ key, value: 0, timestamp: 0, step: -1 }] } });
  const [series] = await getDb().select({ id: metricSeries.id }).from(metricSeries).where(eq(metricSeries.key, key)).orderBy(desc(metricSeries.id)).limit(1);
  const [from, to] = late ?? [0, -1];
  await getDb().execute(sql`
    insert into metric_points (series_id, step, timestamp, value)
    select ${series!.id}, s, case when s between ${from} and ${to} then ${from} - s else 1000 + s * 10 end,
           case when s = 29999 then 'NaN'::float8 when s % 10007 = 0 then 'Infinity'::float8 when s % 10009 = 0 then '-Infinity'::float8 else s / 7.0 end
    from generate_series(0, ${POINTS - 2}) s`);
  await getDb().update(metricSeries).set({ count: POINTS }).where(eq(metricSeries.id, series!.id));
  // MLflow's order, as PostgreSQL sorts it (NaN above every number): what every read must return.
  const expected = await getDb()
    .select({ value: metricPoints.value, timestamp: metricPoints.timestamp, step: metricPoints.step })
    .from(metricPoints)
    .where(eq(metricPoints.seriesId, series!.id))
    .orderBy(asc(metricPoints.timestamp), asc(metricPoints.step), asc(metricPoints.value));
  return { runId, expected: expected.map((p) => ({ key, ...p })) };
}

async function readPaged(ctx: Ctx, runId: string, metricKey: string, maxResults: number) {
  const pages: number[] = [];
  const points = [];
  let pageToken: string | undefined;
  do {
    const page = await getMetricHistory({ ctx, input: { runId, metricKey, maxResults, pageToken } });
    pages.push(page.metrics.length);
    points.push(...page.metrics);
    pageToken = page.nextPageToken;
  } while (pageToken && pages.length < 20);
  return { pages, points };
}

describe("metric history of long series", () => {
  it.each([
    ["in key order", "steady", null],
    ["with steps logged late, out of key order", "late", [40_000, 40_005]],
  ] as const)("reads a series %s in MLflow's order, whole and page by page", { timeout: 120_000 }, async (_, key, late) => {
    const { ctx } = await projectContext();
    const { runId, expected } = await longSeries(ctx, key, late as [number, number] | null);
    expect(expected).toHaveLength(POINTS);
    if (late) expect(expected[0]).toMatchObject({ step: 40_005 });

    const whole = await getMetricHistory({ ctx, input: { runId, metricKey: key } });
    expect(whole.nextPageToken).toBeUndefined();
    expect(whole.metrics).toEqual(expected);

    const byThirty = await readPaged(ctx, runId, key, 30_000);
    expect(byThirty.pages).toEqual([30_000, 30_000]);
    expect(byThirty.points).toEqual(expected);
    const byQuarter = await readPaged(ctx, runId, key, 25_000);
    expect(byQuarter.pages).toEqual([25_000, 25_000, 10_000]);
    expect(byQuarter.points).toEqual(expected);
  });
});

describe("metric history", () => {
  it("keeps keys in any script with spaces and punctuation, and NaN and infinities", async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: {} })).info.runId;
    const key = "eval/f1 macro: é Ω 評価";
    const metrics = [
      { key, value: "NaN", timestamp: 1, step: 0 },
      { key, value: "Infinity", timestamp: 2, step: 1 },
      { key, value: "-Infinity", timestamp: 3, step: 2 },
      { key, value: 1e-7, timestamp: 4, step: 3 },
      { key, value: -0.1 + 0.3, timestamp: 5, step: 4 },
    ];
    await logBatch({ ctx, input: { runId, metrics } });
    const history = await getMetricHistory({ ctx, input: { runId, metricKey: key } });
    expect(history.metrics).toEqual(metrics.map((m) => ({ ...m, value: Number(m.value) })));
  });

  it("answers an unknown key with no points and no token, a page that ends the history with no token", async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: {} })).info.runId;
    await logBatch({ ctx, input: { runId, metrics: Array.from({ length: 20 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i })) } });
    expect(await getMetricHistory({ ctx, input: { runId, metricKey: "none" } })).toEqual({ metrics: [], nextPageToken: undefined });
    const first = await getMetricHistory({ ctx, input: { runId, metricKey: "m", maxResults: 10 } });
    const second = await getMetricHistory({ ctx, input: { runId, metricKey: "m", maxResults: 10, pageToken: first.nextPageToken } });
    expect(second.metrics.map((m) => m.step)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(second.nextPageToken).toBeUndefined();
  });

  it("refuses a page token it did not make as a client error", async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: {} })).info.runId;
    await logBatch({ ctx, input: { runId, metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] } });
    for (const pageToken of ["garbage!", encodeToken({ offset: 5 }), encodeToken({ after: [1, 2, "x"] }), encodeToken({ after: [1.5, 2, 3] }), "bnVsbA=="]) {
      await expect(getMetricHistory({ ctx, input: { runId, metricKey: "m", pageToken } }), pageToken).rejects.toMatchObject({ kind: "invalid" });
    }
  });
});
