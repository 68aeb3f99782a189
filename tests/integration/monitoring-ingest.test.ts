import { and, eq } from "drizzle-orm";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { PUT as putReferenceRoute, GET as getReferenceRoute } from "../../app/p/[slug]/api/monitoring/v1/reference/route";
import { POST as postLabelsRoute } from "../../app/p/[slug]/api/monitoring/v1/labels/route";
import { GET as openApiRoute } from "../../app/p/[slug]/api/monitoring/v1/openapi.json/route";
import { POST as postRecordsRoute } from "../../app/p/[slug]/api/monitoring/v1/records/route";
import type { Permission } from "../../server/access/permissions";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { inferenceRecords, telemetryHistograms, telemetryWindows } from "../../server/db/schema";
import { MAX_MONITORING_BODY_BYTES } from "../../server/http/monitoring-door";
import { SPEC_EXAMPLE } from "../../server/http/monitoring-openapi";
import { setProjectArchived } from "../../server/services/projects";
import { binOf } from "../../server/services/monitoring/binning";
import { saveMonitoringConfig } from "../../server/services/monitoring/config";
import { ingestLabels, ingestRecords } from "../../server/services/monitoring/ingest";
import { getReference, setReference } from "../../server/services/monitoring/reference";
import { deleteExpiredRecords } from "../../server/services/monitoring/retention";
import { telemetrySnippet } from "../../server/services/monitoring/snippet";
import { subscribeTelemetry } from "../../server/services/monitoring/telemetry-events";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { putArtifact } from "../../server/services/tracking/artifacts";
import { createExperiment } from "../../server/services/tracking/experiments";
import { createLoggedModel } from "../../server/services/tracking/logged-models";
import { createRun } from "../../server/services/tracking/runs";
import { readReply } from "../support/http-reply";
import { addMember, makeUser, projectContext, tokenActorOf, unique } from "../support/factories";

/**
 * The write side of production monitoring: references from rows and from a run's table, CSV and
 * Parquet files, inference records and labels (validated whole, idempotent, aggregated per hour),
 * the HTTP API and its access, and the raw records' retention.
 */

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
mlflow_version: 3.1.0
signature:
  inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "city", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
`;

const CITIES = ["Oslo", "Bergen", "Tromsø", "Oslo", "Oslo", "Bergen"];
/** The reference sample: age, city, a column the signature does not name, the prediction and the label. */
const REFERENCE = {
  columns: ["age", "city", "row_id", "prediction", "label"],
  data: Array.from({ length: 60 }, (_, i) => [18 + i, CITIES[i % CITIES.length]!, `row-${i}`, i % 3 === 0 ? 1 : 0, i % 2]),
};

let ctx: ProjectContext;
let slug: string;
let owner: Awaited<ReturnType<typeof makeUser>>;
let runId: string;
let runRoot: string;
let model: string;
const heard: string[] = [];

const stripScheme = (uri: string) => uri.replace(/^mlflow-artifacts:\//, "");
const put = (path: string, body: string | Uint8Array<ArrayBuffer>) => putArtifact(ctx, path, new Blob([body]).stream());
const db = () => getDb();
const HOUR = 3_600_000;
const hour = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR);

async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    return { kind: (error as { kind?: string }).kind, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

async function storedIds(modelId: string) {
  return (await db().select({ id: inferenceRecords.recordId }).from(inferenceRecords).where(eq(inferenceRecords.modelId, modelId))).map((r) => r.id).sort();
}

async function modelIdOf(name: string) {
  const { registeredModels } = await import("../../server/db/schema");
  const [row] = await db()
    .select({ id: registeredModels.id })
    .from(registeredModels)
    .where(and(eq(registeredModels.projectId, ctx.project.id), eq(registeredModels.name, name)));
  return row!.id;
}

/** A registered model whose version 1 has the signature (age, city) and alias champion, and version 2 has none. */
async function makeModel() {
  const name = unique("churn");
  await createRegisteredModel({ ctx, input: { name } });
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const logged = await createLoggedModel({ ctx, input: { experimentId, sourceRunId: runId, name: "model" } });
  await put(`${stripScheme(logged.info.artifactUri)}/MLmodel`, MLMODEL);
  await createModelVersion({ ctx, input: { name, source: `models:/${logged.info.modelId}` } });
  await createModelVersion({ ctx, input: { name, source: "s3://bucket/models/churn", runId } });
  await setAlias({ ctx, input: { name, alias: "champion", version: 1 } });
  return { name, id: await modelIdOf(name) };
}

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("member.manage"));
  slug = ctx.project.slug;
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const run = await createRun({ ctx, input: { experimentId } });
  runId = run.info.runId;
  runRoot = stripScheme(run.info.artifactUri);
  subscribeTelemetry(async (_, modelId) => void heard.push(modelId));
  ({ name: model } = await makeModel());
  await setReference(ctx, { model, version: 1, rows: REFERENCE });
});

describe("references", () => {
  it("bins the signature's inputs and the prediction, and leaves out the label and other columns", async () => {
    const reference = await getReference(ctx, { model, version: 1 });
    expect(reference).toMatchObject({ model, version: 1, source: "api", rows: 60 });
    expect(reference.columns.map((c) => [c.name, c.role, c.kind])).toEqual([
      ["age", "feature", "numeric"],
      ["city", "feature", "categorical"],
      ["prediction", "prediction", "numeric"],
    ]);
    const city = reference.columns[1]!;
    expect(city.categories).toEqual(["Oslo", "Bergen", "Tromsø"]);
    expect(city.counts).toEqual([30, 20, 10, 0]);
  });

  it("reads the same table from the run's log_table JSON, CSV and Parquet artifacts", async () => {
    const { name } = await makeModel();
    const csv = [REFERENCE.columns.join(","), ...REFERENCE.data.map((row) => row.join(","))].join("\n");
    const parquet = parquetWriteBuffer({
      columnData: REFERENCE.columns
        .map((column, i) => ({
          name: column,
          data: REFERENCE.data.map((row) => row[i]),
          type: (["DOUBLE", "STRING", "STRING", "INT64", "INT64"] as const)[i],
        }))
        .map((c) => (c.type === "INT64" ? { ...c, data: c.data.map((v) => BigInt(v as number)) } : c)),
    });
    await put(`${runRoot}/reference/table.json`, JSON.stringify(REFERENCE));
    await put(`${runRoot}/reference/sample.csv`, csv);
    await put(`${runRoot}/reference/sample.parquet`, new Uint8Array(parquet));
    const expected = (await getReference(ctx, { model, version: 1 })).columns;
    for (const artifact of ["reference/table.json", "reference/sample.csv", "reference/sample.parquet"]) {
      const reference = await setReference(ctx, { model: name, version: 1, artifact });
      expect(reference.source, artifact).toBe(`artifact:${runId}/${artifact}`);
      expect(reference.rows, artifact).toBe(60);
      expect(reference.columns, artifact).toEqual(expected);
    }
    // One reference per version: the last one set is the one kept.
    expect((await getReference(ctx, { model: name, version: 1 })).source).toBe(`artifact:${runId}/reference/sample.parquet`);
  });

  it("refuses what is not a table, a missing file, and a version without a reference", async () => {
    await put(`${runRoot}/reference/notes.txt`, "hello");
    await put(`${runRoot}/reference/bad.json`, JSON.stringify({ rows: [] }));
    expect(await failure(setReference(ctx, { model, version: 1, artifact: "reference/notes.txt" }))).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("not a .json table"),
    });
    expect(await failure(setReference(ctx, { model, version: 1, artifact: "reference/bad.json" }))).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("mlflow.log_table"),
    });
    expect(await failure(setReference(ctx, { model, version: 1, artifact: "reference/none.csv" }))).toMatchObject({ kind: "not_found" });
    expect(await failure(setReference(ctx, { model, version: 1 }))).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("either rows or artifact"),
    });
    expect(await failure(getReference(ctx, { model, version: 2 }))).toMatchObject({ kind: "not_found", message: expect.stringContaining("no reference yet") });
  });
  it("clears a version's histograms when a replacement bins differently, and keeps them when it bins alike", async () => {
    const { name, id } = await makeModel();
    await setReference(ctx, { model: name, version: 1, rows: REFERENCE });
    const records = Array.from({ length: 30 }, (_, i) => ({ id: `h-${i}`, features: { age: 20 + i, city: CITIES[i % 6]! }, prediction: i % 2 }));
    await ingestRecords(ctx, { model: name, version: 1, records });
    const histograms = () => db().select().from(telemetryHistograms).where(eq(telemetryHistograms.modelId, id));
    const binned = await histograms();
    expect(binned.map((h) => h.column).sort()).toEqual(["age", "city", "prediction"]);

    // The same table again (a retried PUT) bins alike: the counts stand.
    await setReference(ctx, { model: name, version: 1, rows: REFERENCE });
    expect(await histograms()).toEqual(binned);

    // Older clients: other age quantiles. Counts binned at the old edges would be compared with the new ones.
    const older = { ...REFERENCE, data: REFERENCE.data.map((row) => [(row[0] as number) + 30, ...row.slice(1)]) };
    await setReference(ctx, { model: name, version: 1, rows: older });
    expect(await histograms()).toEqual([]);
    const [volume] = await db().select({ records: telemetryWindows.records }).from(telemetryWindows).where(eq(telemetryWindows.modelId, id));
    expect(volume?.records).toBe(30);

    // Traffic after the replacement is binned against the new reference.
    await ingestRecords(ctx, { model: name, version: 1, records: records.map((r) => ({ ...r, id: `${r.id}-after` })) });
    const [reference] = (await getReference(ctx, { model: name, version: 1 })).columns;
    const age = (await histograms()).find((h) => h.column === "age")!;
    expect(age.counts).toEqual(reference!.counts.map((_, bin) => records.filter((r) => binOf(reference!, r.features.age) === bin).length));
  });
});

describe("inference records", () => {
  it("counts a batch once however often it is retried, and bins exactly as binOf does", async () => {
    const { name, id } = await makeModel();
    await setReference(ctx, { model: name, version: 1, rows: REFERENCE });
    const columns = (await getReference(ctx, { model: name, version: 1 })).columns;
    const at = Date.UTC(2026, 10, 3, 9, 15);
    const records = Array.from({ length: 50 }, (_, i) => ({
      id: `r-${i}`,
      timestamp: i < 40 ? at + i * 1000 : new Date(at + HOUR).toISOString(),
      features: { age: i % 7 === 0 ? null : 10 + i * 1.7, city: ["Oslo", "Bergen", "Paris"][i % 3]!, ignored: true },
      prediction: i % 2,
    }));
    const before = heard.length;
    expect(await ingestRecords(ctx, { model: name, alias: "champion", records })).toEqual({ accepted: 50, duplicates: 0 });
    expect(heard.slice(before)).toEqual([id]);
    expect(await ingestRecords(ctx, { model: name, alias: "champion", records })).toEqual({ accepted: 0, duplicates: 50 });
    expect(
      await ingestRecords(ctx, { model: name, alias: "champion", records: [...records.slice(0, 5), { id: "r-new", features: {}, timestamp: at }] }),
    ).toEqual({
      accepted: 1,
      duplicates: 5,
    });

    const windows = await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id)).orderBy(telemetryWindows.windowStart);
    expect(windows.map((w) => [w.windowStart.getTime(), w.target, w.records])).toEqual([
      [hour(at).getTime(), "champion", 41],
      [hour(at + HOUR).getTime(), "champion", 10],
    ]);
    const sent: { timestamp: number | string; features: Record<string, unknown>; prediction?: number }[] = [...records, { timestamp: at, features: {} }];
    const histograms = await db().select().from(telemetryHistograms).where(eq(telemetryHistograms.modelId, id));
    for (const window of [hour(at), hour(at + HOUR)]) {
      const inWindow = sent.filter((r) => hour(typeof r.timestamp === "number" ? r.timestamp : Date.parse(r.timestamp)).getTime() === window.getTime());
      for (const column of columns) {
        const value = (r: (typeof sent)[number]) => (column.role === "prediction" ? r.prediction : r.features[column.name]);
        const counts = new Array<number>(column.counts.length).fill(0);
        let missing = 0;
        for (const r of inWindow) {
          const bin = binOf(column, value(r));
          if (bin === null) missing++;
          else counts[bin]!++;
        }
        const row = histograms.find((h) => h.column === column.name && h.windowStart.getTime() === window.getTime());
        expect({ counts: row?.counts, missing: row?.missing }, `${column.name} at ${window.toISOString()}`).toEqual({ counts, missing });
      }
    }
  });

  it("refuses a batch whole when one record is bad, naming it, and stores nothing", async () => {
    const { name, id } = await makeModel();
    const good = Array.from({ length: 20 }, (_, i) => ({ id: `ok-${i}`, features: { age: i } }));
    const cases: [unknown[], string][] = [
      [[...good, { id: "bad", features: { age: { nested: 1 } } }], "records.20.features.age"],
      [[...good, { id: "", features: {} }], "records.20.id"],
      [[...good, { id: "x".repeat(201), features: {} }], "at most 200 characters"],
      [[...good, { id: "late", features: {}, timestamp: "yesterday" }], "records.20.timestamp"],
      [[...good, { id: "ok-3", features: {} }], "unique within a batch"],
      [Array.from({ length: 10_001 }, (_, i) => ({ id: `n-${i}`, features: {} })), "at most 10,000 records"],
    ];
    for (const [records, message] of cases) {
      expect(await failure(ingestRecords(ctx, { model: name, version: 1, records })), message).toMatchObject({
        kind: "invalid",
        message: expect.stringContaining(message),
      });
    }
    expect(await storedIds(id)).toEqual([]);
    expect(await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id))).toEqual([]);
  });

  it("resolves an alias to its version, refuses unknown aliases and versions, and counts a version without a reference in volume only", async () => {
    const { name, id } = await makeModel();
    await setAlias({ ctx, input: { name, alias: "shadow", version: 2 } });
    expect(await ingestRecords(ctx, { model: name, alias: "shadow", records: [{ id: "s-1", features: { age: 3 }, prediction: 1 }] })).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect(await ingestRecords(ctx, { model: name, version: 2, records: [{ id: "v-1", features: { age: 3 } }] })).toEqual({ accepted: 1, duplicates: 0 });
    const rows = await db().select().from(inferenceRecords).where(eq(inferenceRecords.modelId, id)).orderBy(inferenceRecords.recordId);
    const versions = await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id)).orderBy(telemetryWindows.target);
    expect(rows.map((r) => [r.recordId, r.target, r.versionId === versions[0]!.versionId])).toEqual([
      ["s-1", "shadow", true],
      ["v-1", "", true],
    ]);
    expect(versions.map((w) => [w.target, w.records])).toEqual([
      ["", 1],
      ["shadow", 1],
    ]);
    expect(await db().select().from(telemetryHistograms).where(eq(telemetryHistograms.modelId, id))).toEqual([]);
    expect(await failure(ingestRecords(ctx, { model: name, alias: "nobody", records: [{ id: "n", features: {} }] }))).toMatchObject({
      kind: "not_found",
      message: expect.stringContaining("no alias 'nobody'"),
    });
    expect(await failure(ingestRecords(ctx, { model: name, version: 9, records: [{ id: "n", features: {} }] }))).toMatchObject({ kind: "not_found" });
    expect(await failure(ingestRecords(ctx, { model: "no-such-model", version: 1, records: [{ id: "n", features: {} }] }))).toMatchObject({
      kind: "not_found",
    });
    expect(await failure(ingestRecords(ctx, { model: name, version: 1, alias: "shadow", records: [{ id: "n", features: {} }] }))).toMatchObject({
      kind: "invalid",
    });
  });
});

describe("labels", () => {
  it("joins labels by record id into the record's window: first label wins, the same again is a duplicate, another is a conflict", async () => {
    const { name, id } = await makeModel();
    const at = Date.UTC(2026, 10, 4, 12, 30);
    const records = [0, 1, 2, 3].map((i) => ({ id: `c-${i}`, timestamp: at + i * HOUR, features: { age: i }, prediction: i % 2 }));
    await ingestRecords(ctx, { model: name, alias: "champion", records });
    const before = heard.length;
    expect(
      await ingestLabels(ctx, {
        model: name,
        labels: [
          { id: "c-0", label: 0 },
          { id: "c-1", label: 0 },
          { id: "c-2", label: "0" },
        ],
      }),
    ).toEqual({ accepted: 3, duplicates: 0 });
    expect(heard.slice(before)).toEqual([id]);
    expect(await ingestLabels(ctx, { model: name, labels: [{ id: "c-0", label: 0 }] })).toEqual({ accepted: 0, duplicates: 1 });

    const conflictDone = await failure(
      ingestLabels(ctx, {
        model: name,
        labels: [
          { id: "c-3", label: 1 },
          { id: "c-1", label: 1 },
        ],
      }),
    );
    expect(conflictDone).toMatchObject({ kind: "conflict", message: expect.stringContaining("c-1") });
    const unknown = await failure(
      ingestLabels(ctx, {
        model: name,
        labels: [
          { id: "c-3", label: 1 },
          { id: "never-sent", label: 1 },
        ],
      }),
    );
    expect(unknown).toMatchObject({ kind: "not_found", message: expect.stringContaining("never-sent") });
    // Neither refused batch stored its good label.
    const [c3] = await db()
      .select()
      .from(inferenceRecords)
      .where(and(eq(inferenceRecords.modelId, id), eq(inferenceRecords.recordId, "c-3")));
    expect(c3!.label).toBeNull();

    const windows = await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id)).orderBy(telemetryWindows.windowStart);
    expect(windows.map((w) => [w.windowStart.getTime(), w.records, w.labelled, w.correct])).toEqual([
      [hour(at).getTime(), 1, 1, 1],
      [hour(at + HOUR).getTime(), 1, 1, 0],
      [hour(at + 2 * HOUR).getTime(), 1, 1, 1],
      [hour(at + 3 * HOUR).getTime(), 1, 0, 0],
    ]);
  });

  it("sums absolute and squared errors for a regression model", async () => {
    const { name, id } = await makeModel();
    await saveMonitoringConfig(ctx, name, { task: "regression", metric: "rmse", validationMetric: null, retentionDays: 30 });
    const at = Date.UTC(2026, 10, 5, 8);
    await ingestRecords(ctx, { model: name, version: 1, records: [1.5, 4, 10].map((p, i) => ({ id: `g-${i}`, timestamp: at, features: {}, prediction: p })) });
    expect(
      await ingestLabels(ctx, {
        model: name,
        labels: [
          { id: "g-0", label: 1 },
          { id: "g-1", label: 6 },
          { id: "g-2", label: 10 },
        ],
      }),
    ).toEqual({ accepted: 3, duplicates: 0 });
    const [window] = await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id));
    expect(window).toMatchObject({ labelled: 3, correct: 0, absErrorSum: 2.5, squaredErrorSum: 4.25 });
    await ingestRecords(ctx, { model: name, version: 1, records: [{ id: "g-text", timestamp: at, features: {}, prediction: "high" }] });
    expect(await failure(ingestLabels(ctx, { model: name, labels: [{ id: "g-text", label: 3 }] }))).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("must be numbers"),
    });
  });
});

describe("retention", () => {
  it("deletes raw records past the model's retention and keeps the aggregates; a retried id is then new", async () => {
    const { name, id } = await makeModel();
    await saveMonitoringConfig(ctx, name, { task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 7 });
    const at = Date.UTC(2026, 10, 6, 8);
    await ingestRecords(ctx, { model: name, version: 1, records: ["old", "recent"].map((rid) => ({ id: rid, timestamp: at, features: {} })) });
    await db()
      .update(inferenceRecords)
      .set({ receivedAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(and(eq(inferenceRecords.modelId, id), eq(inferenceRecords.recordId, "old")));
    const { records } = await deleteExpiredRecords(ctx);
    expect(records).toBeGreaterThanOrEqual(1);
    expect(await storedIds(id)).toEqual(["recent"]);
    const [window] = await db().select().from(telemetryWindows).where(eq(telemetryWindows.modelId, id));
    expect(window!.records).toBe(2);
    expect(await ingestRecords(ctx, { model: name, version: 1, records: [{ id: "old", timestamp: at, features: {} }] })).toEqual({
      accepted: 1,
      duplicates: 0,
    });
  });
});

describe("the monitoring HTTP API", () => {
  const base = () => `http://cairn.test/p/${slug}/api/monitoring/v1`;
  const params = (s = slug) => ({ params: Promise.resolve({ slug: s }) });
  const send = (
    handler: (r: Request, c: ReturnType<typeof params>) => Promise<Response>,
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    s = slug,
  ) =>
    handler(
      new Request(`${base().replace(slug, s)}/${path}`, {
        method,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
      params(s),
    ).then(readReply);

  /** Each route's permission, pinned by hand: a change to a route's access must change this line too. */
  const PINNED: Record<string, Permission> = {
    "POST records": "monitoring.write",
    "POST labels": "monitoring.write",
    "PUT reference": "monitoring.write",
    "GET reference": "project.read",
  };
  const routes = (name: string) => ({
    "POST records": () => [
      postRecordsRoute,
      "POST",
      "records",
      { model: name, alias: "champion", records: [{ id: unique("h"), features: { age: 40, city: "Oslo" }, prediction: 1 }] },
    ],
    "POST labels": () => [postLabelsRoute, "POST", "labels", { model: name, labels: [{ id: "labelled-over-http", label: 1 }] }],
    "PUT reference": () => [putReferenceRoute, "PUT", "reference", { model: name, version: 1, rows: REFERENCE }],
    "GET reference": () => [getReferenceRoute, "GET", `reference?model=${encodeURIComponent(name)}&version=1`, undefined],
  });

  it("admits each route by its pinned permission: viewers and read-only tokens read but never write, other projects' tokens see nothing", async () => {
    const { name } = await makeModel();
    await setReference(ctx, { model: name, version: 1, rows: REFERENCE });
    await ingestRecords(ctx, { model: name, version: 1, records: [{ id: "labelled-over-http", features: {} }] });
    const viewer = await makeUser();
    await addMember(ctx.project.id, viewer, "viewer");
    const contributor = await makeUser();
    await addMember(ctx.project.id, contributor, "contributor");
    const other = await projectContext("project.read");
    const tokens = {
      contributor: (await tokenActorOf(contributor)).secret,
      viewer: (await tokenActorOf(viewer)).secret,
      readOnly: (await tokenActorOf(owner, { readOnly: true })).secret,
      otherProject: (await tokenActorOf(owner, { projectId: other.project.id })).secret,
    };
    expect(Object.keys(PINNED).sort()).toEqual(Object.keys(routes(name)).sort());
    for (const [key, route] of Object.entries(routes(name))) {
      const call = (token: string | null) => {
        const [handler, method, path, body] = route() as [Parameters<typeof send>[0], string, string, unknown];
        return send(handler, method, path, token, body);
      };
      const write = PINNED[key] === "monitoring.write";
      expect((await call(tokens.contributor)).status, `${key} as a contributor`).toBe(200);
      expect((await call(tokens.viewer)).status, `${key} as a viewer`).toBe(write ? 403 : 200);
      expect((await call(tokens.readOnly)).status, `${key} with a read-only token`).toBe(write ? 403 : 200);
      const elsewhere = await call(tokens.otherProject);
      expect([elsewhere.status, elsewhere.json.error_code], `${key} with another project's token`).toEqual([404, "NOT_FOUND"]);
      const anonymous = await call(null);
      expect([anonymous.status, anonymous.json.error_code], `${key} without a token`).toEqual([401, "UNAUTHENTICATED"]);
    }
  });

  it("refuses writes to an archived project and still serves its reference", async () => {
    const archived = await projectContext("project.read");
    const name = unique("archived");
    await createRegisteredModel({ ctx: archived.ctx, input: { name } });
    await createModelVersion({ ctx: archived.ctx, input: { name, source: "s3://bucket/models/archived" } });
    await setReference(archived.ctx, { model: name, version: 1, rows: REFERENCE });
    await setProjectArchived({ ctx: archived.ctx, input: { archived: true } });
    const { secret } = await tokenActorOf(archived.owner);
    const s = archived.project.slug;
    const write = await send(postRecordsRoute, "POST", "records", secret, { model: name, version: 1, records: [{ id: "a", features: {} }] }, s);
    expect([write.status, write.json.error_code, write.json.message]).toEqual([403, "PERMISSION_DENIED", expect.stringContaining("archived")]);
    const read = await send(getReferenceRoute, "GET", `reference?model=${name}&version=1`, secret, undefined, s);
    expect([read.status, read.json.rows]).toEqual([200, 60]);
  });

  it("answers malformed bodies with 400, bodies past the limit with 413, and client mistakes with their status, as {error_code, message}", async () => {
    const { secret } = await tokenActorOf(owner);
    const malformed = await send(postRecordsRoute, "POST", "records", secret, "{not json");
    expect([malformed.status, malformed.json.error_code, malformed.json.message]).toEqual([400, "INVALID_REQUEST", expect.stringContaining("not valid JSON")]);
    const array = await send(postLabelsRoute, "POST", "labels", secret, "[]");
    expect([array.status, array.json.message]).toEqual([400, "Request body must be a JSON object"]);
    const huge = await postRecordsRoute(
      new Request(`${base()}/records`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-length": String(MAX_MONITORING_BODY_BYTES + 1) },
        body: "{}",
      }),
      params(),
    ).then(readReply);
    expect([huge.status, huge.json.error_code]).toEqual([413, "REQUEST_TOO_LARGE"]);
    const streamed = await postRecordsRoute(
      new Request(`${base()}/records`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
        body: new Blob([new Uint8Array(MAX_MONITORING_BODY_BYTES + 1)]).stream(),
        duplex: "half",
      } as RequestInit),
      params(),
    ).then(readReply);
    expect([streamed.status, streamed.json.error_code]).toEqual([413, "REQUEST_TOO_LARGE"]);
    const conflictReply = await (async () => {
      const { name } = await makeModel();
      await ingestRecords(ctx, { model: name, version: 1, records: [{ id: "x", features: {}, prediction: 1 }] });
      await ingestLabels(ctx, { model: name, labels: [{ id: "x", label: 1 }] });
      return send(postLabelsRoute, "POST", "labels", secret, { model: name, labels: [{ id: "x", label: 0 }] });
    })();
    expect([conflictReply.status, conflictReply.json.error_code]).toEqual([409, "CONFLICT"]);
    const accepted = await send(postRecordsRoute, "POST", "records", secret, { model, version: 1, records: [{ id: unique("ok"), features: { age: 1 } }] });
    expect([accepted.status, accepted.json]).toEqual([200, { accepted: 1, duplicates: 0 }]);
  });

  it("serves its OpenAPI document without a token, addressed to the project, with the Python snippet", async () => {
    const reply = await openApiRoute(new Request(`${base()}/openapi.json`, { headers: { host: "cairn.test" } }), params()).then(readReply);
    expect(reply.status).toBe(200);
    expect(reply.json.openapi).toBe("3.1.0");
    expect(reply.json.servers).toEqual([{ url: `http://cairn.test/p/${slug}/api/monitoring/v1`, description: expect.any(String) }]);
    expect(Object.keys(reply.json.paths).sort()).toEqual(["/labels", "/openapi.json", "/records", "/reference"]);
    expect(reply.json.info.description).toContain(telemetrySnippet({ ...SPEC_EXAMPLE, origin: "http://cairn.test", slug }));
  });
});
