import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { putArtifact } from "../../server/services/tracking/artifacts";
import { purgeDeletedRuns } from "../../server/services/tracking/purge";
import { searchRuns } from "../../server/services/tracking/search";
import { getArtifactStore } from "../../server/storage";
import { createExperiment, getExperimentByName } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { getMetricHistory } from "../../server/services/tracking/metric-history";
import { createRun, deleteRun, getRun } from "../../server/services/tracking/runs";
import { projectContext } from "../support/factories";

describe("tracking services", () => {
  it("creates the Default experiment with each project", async () => {
    const { ctx } = await projectContext();
    expect(await getExperimentByName({ ctx, input: { name: "Default" } })).toMatchObject({ experimentId: "0", artifactLocation: "mlflow-artifacts:/0" });
  });

  it("logs a batch once even when retried, keeping NaN and infinities and the latest value by step", async () => {
    const { ctx } = await projectContext();
    const { experimentId } = await createExperiment({ ctx, input: { name: "exp" } });
    const run = await createRun({ ctx, input: { experimentId, runName: "r1", startTime: 1000 } });
    const runId = run.info.runId;
    expect(run.info.artifactUri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    const metrics = [
      { key: "loss", value: 0.5, timestamp: 10, step: 0 },
      { key: "loss", value: 0.25, timestamp: 20, step: 2 },
      { key: "loss", value: 0.4, timestamp: 30, step: 1 },
      { key: "odd", value: "NaN", timestamp: 10, step: 0 },
      { key: "odd", value: "Infinity", timestamp: 11, step: 1 },
      { key: "odd", value: "-Infinity", timestamp: 12, step: 2 },
    ];
    await logBatch({ ctx, input: { runId, metrics, params: [{ key: "lr", value: "0.1" }], tags: [{ key: "team", value: "x" }] } });
    await logBatch({ ctx, input: { runId, metrics, params: [{ key: "lr", value: "0.1" }] } });
    const history = await getMetricHistory({ ctx, input: { runId, metricKey: "loss" } });
    expect(history.metrics.map((m) => m.value)).toEqual([0.5, 0.25, 0.4]);
    const odd = await getMetricHistory({ ctx, input: { runId, metricKey: "odd" } });
    expect(odd.metrics.map((m) => m.value)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const stored = await getRun({ ctx, input: { runId } });
    expect(stored.data.metrics.find((m) => m.key === "loss")).toEqual({ key: "loss", value: 0.25, timestamp: 20, step: 2 });
    expect(stored.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(stored.data.tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "x" },
        { key: "mlflow.runName", value: "r1" },
      ]),
    );
  });

  it("refuses a changed param and writes nothing of that batch", async () => {
    const { ctx } = await projectContext();
    const run = await createRun({ ctx, input: {} });
    const runId = run.info.runId;
    await logBatch({ ctx, input: { runId, params: [{ key: "lr", value: "0.1" }] } });
    await expect(
      logBatch({ ctx, input: { runId, params: [{ key: "lr", value: "0.2" }], metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] } }),
    ).rejects.toThrow(/Changing param values is not allowed/);
    expect((await getRun({ ctx, input: { runId } })).data.metrics).toEqual([]);
    await expect(
      logBatch({ ctx, input: { runId, metrics: Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i })) } }),
    ).rejects.toThrow(/at most 1000 metrics/);
  });

  it("pages metric history with max_results", async () => {
    const { ctx } = await projectContext();
    const runId = (await createRun({ ctx, input: {} })).info.runId;
    await logBatch({ ctx, input: { runId, metrics: Array.from({ length: 25 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i })) } });
    const seen: number[] = [];
    let pageToken: string | undefined;
    do {
      const page = await getMetricHistory({ ctx, input: { runId, metricKey: "m", maxResults: 10, pageToken } });
      expect(page.metrics.length).toBeLessThanOrEqual(10);
      seen.push(...page.metrics.map((m) => m.step));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});

describe("purging deleted runs", () => {
  it("removes a deleted run's history, rows and files, and nothing else", async () => {
    const { ctx } = await projectContext();
    const keep = (await createRun({ ctx, input: {} })).info;
    const doomed = (await createRun({ ctx, input: {} })).info;
    for (const run of [keep, doomed]) {
      await logBatch({ ctx, input: { runId: run.runId, metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] } });
      await putArtifact(ctx, `0/${run.runId}/artifacts/file.txt`, new Blob(["x"]).stream());
    }
    await deleteRun({ ctx, input: { runId: doomed.runId } });
    expect(await purgeDeletedRuns(ctx, new Date(Date.now() - 60_000))).toEqual({ runs: 0 });
    expect(await purgeDeletedRuns(ctx, new Date(Date.now() + 1000))).toEqual({ runs: 1 });

    await expect(getRun({ ctx: { ...ctx, memo: new Map() }, input: { runId: doomed.runId } })).rejects.toMatchObject({ kind: "not_found" });
    // Points are found through their series; none may be left without one.
    const orphans = await getDb().execute(
      sql`select count(*)::int as n from metric_points p where not exists (select 1 from metric_series s where s.id = p.series_id)`,
    );
    expect(orphans[0]!.n).toBe(0);
    const kept = await getMetricHistory({ ctx, input: { runId: keep.runId, metricKey: "m" } });
    expect(kept.metrics).toHaveLength(1);
    expect(await getArtifactStore().list(`projects/${ctx.project.id}/0/${doomed.runId}/artifacts`)).toEqual([]);
    expect((await getArtifactStore().list(`projects/${ctx.project.id}/0/${keep.runId}/artifacts`)).map((f) => f.path)).toEqual(["file.txt"]);
  });
});

describe("NaN in search", () => {
  it("counts a NaN latest value as missing: it matches no comparison and sorts last", async () => {
    const { ctx } = await projectContext();
    const ids: Record<string, string> = {};
    for (const [name, value] of [
      ["nan", "NaN"],
      ["high", 0.9],
      ["low", 0.1],
    ] as const) {
      ids[name] = (await createRun({ ctx, input: { runName: name } })).info.runId;
      await logBatch({ ctx, input: { runId: ids[name]!, metrics: [{ key: "acc", value, timestamp: 1, step: 0 }] } });
    }
    const names = async (filter: string, orderBy: string[] = []) => (await searchRuns({ ctx, input: { filter, orderBy } })).runs.map((r) => r.info.runName);
    expect(await names("metrics.acc > 0.5")).toEqual(["high"]);
    expect(await names("metrics.acc < 0.5")).toEqual(["low"]);
    expect(await names("", ["metrics.acc DESC"])).toEqual(["high", "low", "nan"]);
    expect(await names("", ["metrics.acc ASC"])).toEqual(["low", "high", "nan"]);
  });
});
