import { failureOf, mlflow, mlflowError, type MlflowClient } from "../support/mlflow-client";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../server/access/actor";
import { createServiceContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { accessTokens } from "../../server/db/schema";
import { ENDPOINTS } from "../../server/mlflow/endpoints";
import { revokeToken } from "../../server/services/tokens";
import { addMember, makeProject, makeUser, sessionOf, tokenActorOf, unique } from "../support/factories";

/**
 * MLflow's wire conventions (request decoding, reply encoding, errors) and credentials, as the
 * official clients rely on them. Every client mistake must be a 4xx with a JSON body: the Python
 * client retries a 5xx for minutes before giving up.
 */

let client: MlflowClient;
let slug: string;
let projectId: string;
let owner: Awaited<ReturnType<typeof makeUser>>;
let experimentId: string;
let runId: string;

async function ok(reply: Promise<{ status: number; text: string; json: any }>) {
  const r = await reply;
  expect(r.status, r.text).toBe(200);
  return r.json;
}

beforeAll(async () => {
  owner = await makeUser();
  const project = await makeProject(owner);
  slug = project.slug;
  projectId = project.id;
  client = mlflow(slug, (await tokenActorOf(owner)).secret);
  experimentId = (await ok(client.post("experiments/create", { name: unique("wire") }))).experiment_id;
  runId = (await ok(client.post("runs/create", { experiment_id: experimentId, start_time: 1 }))).run.info.run_id;
});

describe("request decoding", () => {
  it("ignores fields it does not know, as MLflow's lenient proto parser does", async () => {
    const reply = await client.post("experiments/create", { name: unique("exp"), some_future_field: 1, nested: { deeper: [1, 2, { x: null }] } });
    expect(reply.status, reply.text).toBe(200);
    // MLflow 3 clients add model and dataset fields to every metric.
    const metric = await client.post("runs/log-metric", {
      run_id: runId,
      key: "m",
      value: 1,
      timestamp: 5,
      step: 0,
      model_id: "m-1",
      dataset_name: "d",
      dataset_digest: "x",
    });
    expect(metric.status, metric.text).toBe(200);
  });

  it("accepts lowerCamelCase field names, as protobuf's JSON parser does", async () => {
    const { run } = await ok(client.post("runs/create", { experimentId, runName: "camel", startTime: 42 }));
    expect(run.info).toMatchObject({ run_name: "camel", start_time: 42, experiment_id: experimentId });
    await ok(client.post("runs/log-metric", { runId: run.info.run_id, key: "m", value: 2, timestamp: 7 }));
    await ok(client.post("runs/log-batch", { runId: run.info.run_id, params: [{ key: "p", value: "v" }] }));
    const got = (await ok(client.get("runs/get", { run_id: run.info.run_id }))).run;
    expect(got.data.metrics).toEqual([{ key: "m", value: 2, timestamp: 7, step: 0 }]);
    expect(got.data.params).toEqual([{ key: "p", value: "v" }]);
  });

  it("accepts int64 fields as JSON strings and enums by number", async () => {
    await ok(client.post("runs/log-metric", { run_id: runId, key: "i64", value: "0.25", timestamp: "1700000000000", step: "3" }));
    const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "i64", max_results: "10" }));
    expect(history.metrics).toEqual([{ key: "i64", value: 0.25, timestamp: 1_700_000_000_000, step: 3 }]);
    const { run } = await ok(client.post("runs/create", { experiment_id: Number(experimentId), start_time: "123" }));
    expect(run.info.start_time).toBe(123);
    const all = await ok(client.post("runs/search", { experiment_ids: [Number(experimentId)], run_view_type: 3, max_results: "1000" }));
    expect(all.runs.length).toBeGreaterThanOrEqual(2);
    const page = await ok(client.post("experiments/search", { max_results: "1", view_type: 1 }));
    expect(page.experiments).toHaveLength(1);
  });

  it("reads Python's True/False as booleans in GET parameters", async () => {
    const { model } = await ok(client.post("logged-models", { experiment_id: experimentId, name: "model" }));
    const id = model.info.model_id;
    await ok(client.delete(`logged-models/${id}`));
    expect((await ok(client.get(`logged-models/${id}`, { allow_deleted: true }))).model.info.model_id).toBe(id);
    expect(failureOf(await client.get(`logged-models/${id}`, { allow_deleted: false }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it.each([
    ["experiments/get-by-name", "experiment_name", async (name: string) => ok(client.post("experiments/create", { name }))],
    ["registered-models/get", "name", async (name: string) => ok(client.post("registered-models/create", { name }))],
  ])("keeps a string GET parameter that reads 'True' or 'False' a string (%s)", async (path, key, create) => {
    // MLflow parses the query by the proto's field types: experiment_name is a string, whatever it spells.
    for (const name of ["True", "False"]) {
      await create(name);
      const reply = await client.get(path, { [key]: name });
      expect({ status: reply.status, error: reply.json?.message }, `${path}?${key}=${name}`).toEqual({ status: 200, error: undefined });
    }
  });

  it("reads the deprecated run_uuid when run_id is missing, on GET and POST", async () => {
    expect((await ok(client.get("runs/get", { run_uuid: runId }))).run.info.run_id).toBe(runId);
    await ok(client.post("runs/set-tag", { run_uuid: runId, key: "via", value: "uuid" }));
    expect((await ok(client.get("runs/get", { run_id: runId }))).run.data.tags).toEqual(expect.arrayContaining([{ key: "via", value: "uuid" }]));
  });
});

describe("reply encoding", () => {
  it("answers every empty success with exactly {} as JSON", async () => {
    const empties = [
      () => client.post("runs/set-tag", { run_id: runId, key: "k", value: "v" }),
      () => client.post("runs/log-metric", { run_id: runId, key: "e", value: 1, timestamp: 1 }),
      () => client.post("runs/log-parameter", { run_id: runId, key: "e", value: "1" }),
      () => client.post("runs/log-batch", { run_id: runId }),
      () => client.post("experiments/set-experiment-tag", { experiment_id: experimentId, key: "k", value: "v" }),
      () => client.post("experiments/update", { experiment_id: experimentId, new_name: unique("renamed") }),
      () => client.post("runs/delete-tag", { run_id: runId, key: "k" }),
    ];
    for (const send of empties) {
      const reply = await send();
      expect({ status: reply.status, text: reply.text, type: reply.response.headers.get("content-type") }).toEqual({
        status: 200,
        text: "{}",
        type: "application/json",
      });
    }
  });

  it("leaves out empty optional fields rather than sending null", async () => {
    const reply = await client.get("runs/get", { run_id: runId });
    expect(reply.text).not.toContain("null");
    expect(reply.json.run.info.end_time).toBeUndefined();
  });
});

describe("malformed requests", () => {
  const body = (text: string | Uint8Array, headers: Record<string, string> = {}) => ({
    body: text,
    headers: { "content-type": "application/json", ...headers },
  });

  it.each([
    ["invalid JSON", body("{name: 'x'")],
    ["a truncated JSON body", body('{"name": "abc')],
    ["a bare NaN token", body('{"run_id": "x", "key": "m", "value": NaN, "timestamp": 1}')],
    ["a JSON array instead of an object", body("[1, 2, 3]")],
    ["a JSON string instead of an object", body('"name"')],
    ["invalid UTF-8", body(new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]))],
    ["objects nested 10,000 levels deep", body(`{"name":"x","tags":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`)],
    ["arrays nested 100,000 levels deep", body(`{"name":"x","tags":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)],
  ])("answers %s with 400 and a JSON error", async (_label, init) => {
    const reply = await client.request("POST", "experiments/create", init);
    expect(failureOf(reply)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("refuses a 20 MB JSON body with 400, whether or not it declares its length", async () => {
    const big = JSON.stringify({ name: unique("big"), tags: [{ key: "k", value: "x".repeat(20 * 1024 * 1024) }] });
    const declared = await client.request("POST", "experiments/create", body(big, { "content-length": String(Buffer.byteLength(big)) }));
    expect(failureOf(declared)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1024 * 1024) controller.enqueue(bytes.subarray(i, i + 1024 * 1024));
        controller.close();
      },
    });
    const undeclared = await client.request("POST", "experiments/create", { body: streamed, headers: { "content-type": "application/json" } });
    expect(failureOf(undeclared)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("answers an unknown endpoint with 404 ENDPOINT_NOT_FOUND as JSON", async () => {
    for (const [method, path] of [
      ["GET", "experiments/list"],
      ["POST", "runs/teleport"],
      ["GET", "nothing"],
      ["POST", "logged-models/m-1/unknown/deeper"],
    ]) {
      expect(failureOf(await client.request(method!, path!)), `${method} ${path}`).toEqual(mlflowError(404, "ENDPOINT_NOT_FOUND"));
    }
  });

  it("answers a known path with the wrong method with 405 as JSON, naming the allowed methods", async () => {
    for (const [method, path, allowed] of [
      ["GET", "runs/create", "POST"],
      ["POST", "runs/get", "GET"],
      ["PUT", "experiments/create", "POST"],
      ["GET", "registered-models/delete", "DELETE"],
    ]) {
      const reply = await client.request(method!, path!, method === "GET" ? {} : { body: {} });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.json?.error_code).toEqual(expect.any(String));
      expect(reply.response.headers.get("allow")).toContain(allowed);
    }
  });

  it("never answers wrongly typed fields with a 5xx, on any endpoint", async () => {
    const wrong = {
      experiment_id: { a: 1 },
      experiment_ids: "x",
      run_id: ["not", "a", "run"],
      name: 12,
      new_name: [],
      key: { k: 1 },
      value: { v: 1 },
      timestamp: "yesterday",
      step: 1.5,
      metrics: [{ key: 1 }],
      params: "p",
      tags: [null],
      datasets: [{ dataset: 5 }],
      models: [{ model_id: 5 }],
      filter: { f: 1 },
      order_by: [{}],
      max_results: "many",
      page_token: 12,
      view_type: "SOME",
      run_view_type: -1,
      status: 99,
      source: ["x"],
      version: "latest",
      stage: {},
      stages: "Staging",
      alias: 5,
      description: 5,
      model_json: { not: "a string" },
      archive_existing_versions: "maybe",
      artifact_location: 5,
      metric_key: [],
      path: 7,
    };
    const offenders: string[] = [];
    for (const endpoint of ENDPOINTS) {
      const path = endpoint.path.replace(":modelId", "m-00000000000000000000000000000000").replace("*key", "some/key");
      const bodies =
        endpoint.method === "GET"
          ? [{ query: { run_id: "x", name: "", max_results: "-5", experiment_id: "abc", version: "0", stages: ["Nope"] } }]
          : [{ body: {} }, { body: wrong }];
      for (const init of bodies) {
        const reply = await client.request(endpoint.method, path, init);
        if (reply.status >= 500 || reply.json === undefined)
          offenders.push(`${endpoint.method} ${path} ${JSON.stringify(init).slice(0, 60)} → ${reply.status} ${reply.text.slice(0, 120)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it.each([
    ["runs/search", { experiment_ids: ["EXP"], filter: "attributes.start_time > 0.5" }],
    ["runs/search", { experiment_ids: ["EXP"], filter: "attributes.end_time <= 99999999999999999999" }],
    ["experiments/search", { filter: "creation_time > 1.5" }],
    ["experiments/search", { filter: "last_update_time < 99999999999999999999" }],
    ["model-versions/search", { filter: "version_number > 1.5" }],
    ["model-versions/search", { filter: "version_number < 99999999999" }],
    ["logged-models/search", { experiment_ids: ["EXP"], filter: "creation_timestamp > 1.5" }],
  ])("answers a numeric filter that does not fit the column without a 5xx (%s %j)", async (path, body) => {
    // start_time > 0.5 is a fair question (every run from 1 ms on matches); a 400 saying so is fine too.
    const reply = await client.post(path, JSON.parse(JSON.stringify(body).replaceAll("EXP", experimentId)));
    expect(reply.status, reply.text).toBeLessThan(500);
    if (reply.status !== 200) expect(failureOf(reply)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    if (path === "runs/search" && reply.status === 200 && (body.filter as string).includes("0.5")) {
      expect(reply.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toContain(runId);
    }
  });

  it.each([
    ["experiments/create", () => ({ name: "nul\u0000name" })],
    ["registered-models/create", () => ({ name: "nul\u0000model" })],
    ["runs/set-tag", () => ({ run_id: runId, key: "k", value: "nul\u0000value" })],
    ["runs/log-parameter", () => ({ run_id: runId, key: "nul", value: "\u0000" })],
    ["runs/log-batch", () => ({ run_id: runId, tags: [{ key: "k", value: "a\u0000b" }] })],
    ["experiments/set-experiment-tag", () => ({ experiment_id: experimentId, key: "k", value: "\u0000" })],
    ["runs/update", () => ({ run_id: runId, run_name: "nul\u0000name" })],
  ])("refuses a NUL character with 400 rather than failing in the database (%s)", async (path, body) => {
    const reply = await client.post(path, body());
    expect(failureOf(reply)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });
});

describe("/api/3.0/mlflow", () => {
  it("serves server-info with every optional feature off", async () => {
    const { GET } = await import("../../app/p/[slug]/api/3.0/mlflow/[...path]/route");
    const call = (path: string[]) =>
      GET(new Request(`http://cairn.test/p/${slug}/api/3.0/mlflow/${path.join("/")}`), { params: Promise.resolve({ slug, path }) });
    const info = await call(["server-info"]);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({
      store_type: "SqlStore",
      workspaces_enabled: false,
      trace_archival_enabled: false,
      multipart_uploads_enabled: false,
      multipart_downloads_enabled: false,
    });
    const traces = await call(["traces"]);
    expect(traces.status).toBe(404);
    expect((await traces.json()).error_code).toBe("ENDPOINT_NOT_FOUND");
  });
});

describe("credentials", () => {
  it("answers a request without credentials with 401 UNAUTHENTICATED, JSON and a WWW-Authenticate challenge", async () => {
    const anonymous = mlflow(slug, null);
    for (const reply of [await anonymous.get("experiments/get", { experiment_id: "0" }), await anonymous.post("runs/create", { experiment_id: "0" })]) {
      expect(failureOf(reply)).toEqual(mlflowError(401, "UNAUTHENTICATED"));
      expect(reply.response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    }
  });

  it("answers a bogus, revoked or expired token with 401 and the reason", async () => {
    const user = await makeUser();
    await addMember(projectId, user, "contributor");
    const revoked = await tokenActorOf(user);
    await revokeToken({ ctx: createServiceContext(sessionOf(user)), input: { tokenId: (revoked.actor as Extract<Actor, { via: "token" }>).token.id } });
    const expired = await tokenActorOf(user);
    await getDb()
      .update(accessTokens)
      .set({ expiresAt: new Date(Date.now() - 86_400_000) })
      .where(eq(accessTokens.id, (expired.actor as Extract<Actor, { via: "token" }>).token.id));

    const cases: [string, string, RegExp][] = [
      ["bogus", "Bearer cairn_not-a-real-token", /invalid/i],
      ["revoked", `Bearer ${revoked.secret}`, /revoked/i],
      ["expired", `Bearer ${expired.secret}`, /expired/i],
      ["unsupported scheme", `Token ${expired.secret}`, /Bearer|basic/i],
      ["basic auth with a wrong password", `Basic ${Buffer.from("someone:wrong").toString("base64")}`, /invalid/i],
    ];
    for (const [label, authorization, reason] of cases) {
      const reply = await mlflow(slug, { authorization }).get("experiments/get", { experiment_id: "0" });
      expect(failureOf(reply), label).toEqual(mlflowError(401, "UNAUTHENTICATED", reason));
      expect(reply.response.headers.get("www-authenticate"), label).toMatch(/^Basic/);
    }
  });

  it("accepts basic auth with the token as password (MLFLOW_TRACKING_USERNAME/PASSWORD)", async () => {
    const { secret } = await tokenActorOf(owner);
    const basic = mlflow(slug, { basic: { username: owner.email, password: secret } });
    expect((await ok(basic.get("experiments/get", { experiment_id: "0" }))).experiment.name).toBe("Default");
    await ok(basic.post("runs/set-tag", { run_id: runId, key: "basic", value: "yes" }));
  });

  it("lets a read-only token read but answers its writes with 403 PERMISSION_DENIED", async () => {
    const contributor = await makeUser();
    await addMember(projectId, contributor, "contributor");
    const readOnly = mlflow(slug, (await tokenActorOf(contributor, { readOnly: true })).secret);
    await ok(readOnly.get("runs/get", { run_id: runId }));
    await ok(readOnly.post("runs/search", { experiment_ids: [experimentId] }));
    expect(failureOf(await readOnly.post("runs/log-metric", { run_id: runId, key: "ro", value: 1, timestamp: 1 }))).toEqual(
      mlflowError(403, "PERMISSION_DENIED"),
    );
    expect(failureOf(await readOnly.post("experiments/create", { name: unique("ro") }))).toEqual(mlflowError(403, "PERMISSION_DENIED"));
    const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "ro" }));
    expect(history.metrics ?? []).toEqual([]);
  });

  it("answers a token of someone outside the project, or scoped to another project, with 404 RESOURCE_DOES_NOT_EXIST", async () => {
    const stranger = await makeUser();
    const outsider = mlflow(slug, (await tokenActorOf(stranger)).secret);
    expect(failureOf(await outsider.get("runs/get", { run_id: runId }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await outsider.post("runs/log-metric", { run_id: runId, key: "x", value: 1, timestamp: 1 }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );

    const elsewhere = await makeProject(owner);
    const scoped = mlflow(slug, (await tokenActorOf(owner, { projectId: elsewhere.id })).secret);
    expect(failureOf(await scoped.get("experiments/get", { experiment_id: "0" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(
      (await ok(mlflow(elsewhere.slug, (await tokenActorOf(owner, { projectId: elsewhere.id })).secret).get("experiments/get", { experiment_id: "0" })))
        .experiment.name,
    ).toBe("Default");
  });
});
