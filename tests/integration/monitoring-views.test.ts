import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { monitoringReferences, telemetryHistograms, telemetryWindows, type ReferenceColumn } from "../../server/db/schema";
import { saveMonitoringConfig } from "../../server/services/monitoring/config";
import { columnDrift } from "../../server/services/monitoring/drift";
import { binLabels, monitoredTargets, targetDrift, targetWindows, versionProductionRecord } from "../../server/services/monitoring/views";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { modelByName, versionOf } from "../../server/services/registry/shared";
import { createModelVersion } from "../../server/services/registry/versions";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun } from "../../server/services/tracking/runs";
import { callerFor, outcome, projectContext, sessionOf, unique } from "../support/factories";

/**
 * The read side of monitoring over aggregates seeded as ingest stores them: hourly windows,
 * drift per column against each version's own reference, the production metric beside the run's
 * validation value, and a model's targets. Nothing leaks to another project.
 */

const HOUR = 3_600_000;
const t0 = new Date(Math.floor(Date.UTC(2026, 10, 20, 10) / HOUR) * HOUR);
const hour = (n: number) => new Date(t0.getTime() + n * HOUR);

const AGE: ReferenceColumn = { name: "age", role: "feature", kind: "numeric", edges: [30, 50], counts: [10, 10, 20], missing: 1 };
const CITY: ReferenceColumn = { name: "city", role: "feature", kind: "categorical", categories: ["Oslo", "Bergen"], counts: [5, 5, 0], missing: 0 };
const PREDICTION: ReferenceColumn = { name: "prediction", role: "prediction", kind: "categorical", categories: ["0", "1"], counts: [6, 4, 0], missing: 0 };
// Version 2's reference bins age differently, so its counts are never added to version 1's.
const AGE_V2: ReferenceColumn = { ...AGE, edges: [40], counts: [20, 20] };

let ctx: ProjectContext;
let owner: Awaited<ReturnType<typeof projectContext>>["owner"];
let other: ProjectContext;
let name: string;
let modelId: string;
let v1: string;
let v2: string;

const windowRow = (versionId: string, target: string, at: Date, w: Partial<typeof telemetryWindows.$inferInsert>) => ({
  versionId,
  target,
  windowStart: at,
  modelId,
  records: 0,
  ...w,
});
const histogram = (versionId: string, target: string, at: Date, column: string, counts: number[], missing = 0) => ({
  versionId,
  target,
  windowStart: at,
  column,
  modelId,
  counts,
  missing,
});

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("member.manage"));
  ({ ctx: other } = await projectContext("member.manage"));
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const runId = (await createRun({ ctx, input: { experimentId } })).info.runId;
  const now = Date.now();
  await logBatch({
    ctx,
    input: {
      runId,
      metrics: [
        { key: "accuracy", value: 0.99, timestamp: now },
        { key: "val_accuracy", value: 0.9, timestamp: now },
        { key: "holdout_acc", value: 0.85, timestamp: now },
      ],
    },
  });
  name = unique("model");
  await createRegisteredModel({ ctx, input: { name } });
  await createModelVersion({ ctx, input: { name, source: `runs:/${runId}/model`, runId } });
  await createModelVersion({ ctx, input: { name, source: "s3://models/churn/2" } });
  const model = await modelByName(ctx, name);
  modelId = model.id;
  v1 = (await versionOf(ctx, model, 1)).id;
  v2 = (await versionOf(ctx, model, 2)).id;

  const db = getDb();
  await db.insert(monitoringReferences).values([
    { projectId: ctx.project.id, modelId, versionId: v1, source: "api", rows: 41, columns: [AGE, CITY, PREDICTION] },
    { projectId: ctx.project.id, modelId, versionId: v2, source: "api", rows: 40, columns: [AGE_V2] },
  ]);
  await db.insert(telemetryWindows).values([
    windowRow(v1, "champion", hour(0), { records: 40, labelled: 10, correct: 8 }),
    windowRow(v1, "champion", hour(1), { records: 20 }),
    // The alias moved to version 2 during hour 3: both served it.
    windowRow(v1, "champion", hour(3), { records: 5, labelled: 5, correct: 5 }),
    windowRow(v2, "champion", hour(3), { records: 15, labelled: 5, correct: 0 }),
    windowRow(v1, "champion", hour(30), { records: 7 }),
    windowRow(v2, "", hour(2), { records: 9 }),
  ]);
  await db
    .insert(telemetryHistograms)
    .values([
      histogram(v1, "champion", hour(0), "age", [10, 10, 20], 2),
      histogram(v1, "champion", hour(0), "city", [5, 5, 0]),
      histogram(v1, "champion", hour(1), "age", [20, 10, 10]),
      histogram(v1, "champion", hour(1), "city", [0, 5, 5]),
      histogram(v1, "champion", hour(3), "age", [5, 0, 0]),
      histogram(v2, "champion", hour(3), "age", [15, 0]),
      histogram(v1, "champion", hour(30), "age", [0, 0, 7]),
    ]);
});

const range = { from: hour(0), to: hour(24) };

describe("targetWindows", () => {
  it("lists the hours of the range that saw records, oldest first, with volume, metric and drift per column", async () => {
    const windows = await targetWindows(ctx, modelId, "champion", range);
    expect(windows.map((w) => w.windowStart.getTime())).toEqual([hour(0), hour(1), hour(3)].map((d) => d.getTime()));
    const [h0, h1, h3] = windows;
    expect(h0).toMatchObject({ versions: [1], records: 40, labelled: 10, metric: 0.8 });
    expect(h0!.drift.age).toEqual({ psi: 0, ks: 0, js: null });
    expect(h0!.drift.city).toEqual({ psi: 0, ks: null, js: 0 });
    expect(h1).toMatchObject({ versions: [1], records: 20, labelled: 0, metric: null });
    // ¼ ¼ ½ → ½ ¼ ¼: ½·ln 2, and KS ¼ (as the unit tests compute by hand)
    expect(h1!.drift.age!.psi).toBeCloseTo(0.5 * Math.log(2), 12);
    expect(h1!.drift.age!.ks).toBe(0.25);
    expect(h1!.drift.city!.js).toBeCloseTo(Math.SQRT1_2, 12);
    expect(h1!.drift).not.toHaveProperty("prediction");
    // Hour 3: volume and labels of both versions; age's drift from version 2, which saw most of its values.
    expect(h3).toMatchObject({ versions: [1, 2], records: 20, labelled: 10, metric: 0.5 });
    expect(h3!.drift.age).toEqual(columnDrift(AGE_V2, [15, 0]));
  });

  it("reads nothing of another target, outside the range, or from another project", async () => {
    expect(await targetWindows(ctx, modelId, "challenger", range)).toEqual([]);
    expect(await targetWindows(ctx, modelId, "champion", { from: hour(4), to: hour(30) })).toEqual([]);
    expect(await targetWindows(other, modelId, "champion", range)).toEqual([]);
  });
});

describe("targetDrift", () => {
  it("adds a range's hours up per version and column, worst PSI first, with shares per labelled bin", async () => {
    const drift = await targetDrift(ctx, modelId, "champion", range);
    expect(drift.map((d) => `${d.column}@${d.version}`)).toEqual(
      [
        { key: "city@1", psi: columnDrift(CITY, [5, 10, 5]).psi },
        { key: "age@2", psi: columnDrift(AGE_V2, [15, 0]).psi },
        { key: "age@1", psi: columnDrift(AGE, [35, 20, 30]).psi },
      ]
        .sort((a, b) => b.psi - a.psi)
        .map((d) => d.key),
    );
    const age = drift.find((d) => d.column === "age" && d.version === 1)!;
    expect(age).toMatchObject({ ...columnDrift(AGE, [35, 20, 30]), role: "feature", kind: "numeric", values: 85, missing: 2 });
    expect(age.bins).toEqual([
      { label: "≤ 30", reference: 0.25, current: 35 / 85 },
      { label: "(30, 50]", reference: 0.25, current: 20 / 85 },
      { label: "> 50", reference: 0.5, current: 30 / 85 },
    ]);
    expect(drift.find((d) => d.column === "city")!.bins.map((b) => b.label)).toEqual(["Oslo", "Bergen", "other"]);
    expect(await targetDrift(other, modelId, "champion", range)).toEqual([]);
  });

  it("labels bins of a reference without edges, and rounds long edges", () => {
    expect(binLabels({ ...AGE, edges: [] })).toEqual(["all"]);
    expect(binLabels({ ...AGE, edges: [0.123456, 2] })).toEqual(["≤ 0.1235", "(0.1235, 2]", "> 2"]);
  });
});

describe("versionProductionRecord", () => {
  it("sums every target the version served since a date, beside its run's validation value, with its worst-drifting column", async () => {
    const record = await versionProductionRecord(ctx, v1, hour(0));
    expect(record).toMatchObject({ versionId: v1, version: 1, records: 72, labelled: 15, lastRecordAt: hour(30) });
    expect(record.metric).toEqual({ name: "accuracy", value: 13 / 15, validationKey: "val_accuracy", validation: 0.9 });
    const worst = [
      { column: "age", psi: columnDrift(AGE, [35, 20, 37]).psi },
      { column: "city", psi: columnDrift(CITY, [5, 10, 5]).psi },
    ].sort((a, b) => b.psi - a.psi)[0];
    expect(record.worstDrift!.column).toBe(worst!.column);
    expect(record.worstDrift!.psi).toBeCloseTo(worst!.psi, 12);
    expect(await versionProductionRecord(ctx, v1, hour(31))).toMatchObject({
      records: 0,
      labelled: 0,
      lastRecordAt: null,
      worstDrift: null,
      metric: { value: null },
    });
  });

  it("reads the validation metric the model names, and says when the run has none; a version without a run has no validation value", async () => {
    await saveMonitoringConfig(ctx, name, { task: "classification", metric: "accuracy", validationMetric: "holdout_acc", retentionDays: 30 });
    expect((await versionProductionRecord(ctx, v1, hour(0))).metric).toMatchObject({ validationKey: "holdout_acc", validation: 0.85 });
    await saveMonitoringConfig(ctx, name, { task: "classification", metric: "accuracy", validationMetric: "never_logged", retentionDays: 30 });
    expect((await versionProductionRecord(ctx, v1, hour(0))).metric).toMatchObject({ validationKey: "never_logged", validation: null });
    await saveMonitoringConfig(ctx, name, { task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 });
    expect((await versionProductionRecord(ctx, v2, hour(0))).metric).toMatchObject({ value: 0, validationKey: null, validation: null });
  });

  it("does not find a version of another project", async () => {
    await expect(versionProductionRecord(other, v1, hour(0))).rejects.toThrow("not found");
  });
});

describe("monitoredTargets", () => {
  it("lists each target with its versions, volume and latest hour, the most recently active first", async () => {
    expect(await monitoredTargets(ctx, modelId)).toEqual([
      { target: "champion", versions: [1, 2], records: 87, lastRecordAt: hour(30) },
      { target: "", versions: [2], records: 9, lastRecordAt: hour(2) },
    ]);
    expect(await monitoredTargets(other, modelId)).toEqual([]);
  });
});

describe("monitoring.model and monitoring.target", () => {
  const api = () => callerFor(sessionOf(owner)).monitoring;

  it("lists served targets and aliases that have not served yet, with each alias's version now and the versions with a reference", async () => {
    await setAlias({ ctx, input: { name, alias: "champion", version: 2 } });
    await setAlias({ ctx, input: { name, alias: "shadow", version: 1 } });
    const page = await api().model({ projectSlug: ctx.project.slug, name });
    expect(page.targets).toEqual([
      { target: "champion", versions: [1, 2], records: 87, lastRecordAt: hour(30), aliasVersion: 2 },
      { target: "", versions: [2], records: 9, lastRecordAt: hour(2), aliasVersion: null },
      { target: "shadow", versions: [], records: 0, lastRecordAt: null, aliasVersion: 1 },
    ]);
    expect(page.references.map((r) => [r.version, r.rows])).toEqual([
      [1, 41],
      [2, 40],
    ]);
  });

  it("reads a target over a range with the validation value of each version that served it", async () => {
    const view = await api().target({ projectSlug: ctx.project.slug, name, target: "champion", range });
    expect(view.windows).toHaveLength(3);
    expect(view.drift[0]!.psi).toBeGreaterThanOrEqual(view.drift.at(-1)!.psi);
    expect(view.validations).toEqual([
      { version: 1, key: "val_accuracy", value: 0.9 },
      { version: 2, key: null, value: null },
    ]);
  });

  it("refuses a range longer than 90 days or reversed, as a client error", async () => {
    const long = { from: new Date(hour(0).getTime() - 91 * 24 * HOUR), to: hour(0) };
    expect(await outcome(() => api().target({ projectSlug: ctx.project.slug, name, target: "champion", range: long }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api().target({ projectSlug: ctx.project.slug, name, target: "champion", range: { from: hour(2), to: hour(1) } }))).toBe(
      "BAD_REQUEST",
    );
  });
});
