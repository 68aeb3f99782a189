import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES, roleAllows, type Permission, type Role } from "../../server/access/permissions";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { handleArtifactApi } from "../../server/mlflow/artifacts-handler";
import { ENDPOINTS } from "../../server/mlflow/endpoints";
import { handleMlflowApi } from "../../server/mlflow/handler";
import { createModelVersion } from "../../server/services/registry/versions";
import { createRegisteredModel, setRegisteredModelTag } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { setModelVersionTag } from "../../server/services/registry/versions";
import { createExperiment, setExperimentTag } from "../../server/services/tracking/experiments";
import { createLoggedModel, setLoggedModelTags } from "../../server/services/tracking/logged-models";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, setRunTag } from "../../server/services/tracking/runs";
import { addMember, makeProject, makeUser, sessionOf, tokenActorOf, unique } from "../support/factories";

process.env.CAIRN_ARTIFACTS_DIR ??= mkdtempSync(path.join(os.tmpdir(), "cairn-artifacts-"));

type Fixture = Awaited<ReturnType<typeof makeFixture>>;
type Call = { query?: Record<string, string | string[]>; body?: unknown; path?: string };
type Case = { call: (f: Fixture) => Call; foreign?: (f: Fixture) => Call };

/** Every MLflow endpoint, with a request that succeeds for whoever may call it. */
const matrix: Record<string, Case> = {
  "POST experiments/create": { call: () => ({ body: { name: unique("exp") } }) },
  "GET experiments/get": { call: (f) => ({ query: { experiment_id: f.experimentId } }), foreign: (f) => ({ query: { experiment_id: f.other.experimentId } }) },
  "GET experiments/get-by-name": { call: (f) => ({ query: { experiment_name: f.experimentName } }), foreign: (f) => ({ query: { experiment_name: f.other.experimentName } }) },
  "POST experiments/search": { call: () => ({ body: { max_results: 5 } }) },
  "GET experiments/search": { call: () => ({ query: { max_results: "5" } }) },
  "POST experiments/update": { call: (f) => ({ body: { experiment_id: f.experimentId, new_name: unique("exp") } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId, new_name: unique("x") } }) },
  "POST experiments/delete": { call: (f) => ({ body: { experiment_id: f.experimentId } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }) },
  "POST experiments/restore": { call: (f) => ({ body: { experiment_id: f.experimentId } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }) },
  "POST experiments/set-experiment-tag": { call: (f) => ({ body: { experiment_id: f.experimentId, key: "k2", value: "v" } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId, key: "k", value: "v" } }) },
  "POST experiments/delete-experiment-tag": { call: (f) => ({ body: { experiment_id: f.experimentId, key: "k" } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId, key: "k" } }) },

  "POST runs/create": { call: (f) => ({ body: { experiment_id: f.experimentId } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }) },
  "GET runs/get": { call: (f) => ({ query: { run_id: f.runId } }), foreign: (f) => ({ query: { run_id: f.other.runId } }) },
  "POST runs/update": { call: (f) => ({ body: { run_id: f.runId, status: "FINISHED", end_time: 2 } }), foreign: (f) => ({ body: { run_id: f.other.runId, status: "FINISHED" } }) },
  "POST runs/delete": { call: (f) => ({ body: { run_id: f.runId } }), foreign: (f) => ({ body: { run_id: f.other.runId } }) },
  "POST runs/restore": { call: (f) => ({ body: { run_id: f.runId } }), foreign: (f) => ({ body: { run_id: f.other.runId } }) },
  "POST runs/set-tag": { call: (f) => ({ body: { run_id: f.runId, key: "k2", value: "v" } }), foreign: (f) => ({ body: { run_id: f.other.runId, key: "k", value: "v" } }) },
  "POST runs/delete-tag": { call: (f) => ({ body: { run_id: f.runId, key: "k" } }), foreign: (f) => ({ body: { run_id: f.other.runId, key: "k" } }) },
  "POST runs/log-metric": { call: (f) => ({ body: { run_id: f.runId, key: "m", value: 1, timestamp: 1, step: 0 } }), foreign: (f) => ({ body: { run_id: f.other.runId, key: "m", value: 1, timestamp: 1 } }) },
  "POST runs/log-parameter": { call: (f) => ({ body: { run_id: f.runId, key: "p", value: "1" } }), foreign: (f) => ({ body: { run_id: f.other.runId, key: "p", value: "1" } }) },
  "POST runs/log-batch": { call: (f) => ({ body: { run_id: f.runId, metrics: [{ key: "m", value: 2, timestamp: 2, step: 1 }] } }), foreign: (f) => ({ body: { run_id: f.other.runId, metrics: [] } }) },
  "POST runs/log-inputs": {
    call: (f) => ({ body: { run_id: f.runId, datasets: [{ dataset: { name: "d", digest: "abc", source_type: "local", source: "{}" }, tags: [] }] } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, datasets: [] } }),
  },
  "POST runs/outputs": { call: (f) => ({ body: { run_id: f.runId, models: [{ model_id: f.loggedModelId, step: 0 }] } }), foreign: (f) => ({ body: { run_id: f.runId, models: [{ model_id: f.other.loggedModelId }] } }) },
  "POST runs/log-model": {
    call: (f) => ({ body: { run_id: f.runId, model_json: JSON.stringify({ artifact_path: "model", flavors: {}, utc_time_created: "2026-01-01", run_id: f.runId }) } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, model_json: JSON.stringify({ artifact_path: "model", flavors: {}, utc_time_created: "2026-01-01", run_id: f.other.runId }) } }),
  },
  "POST runs/search": { call: (f) => ({ body: { experiment_ids: [f.experimentId], filter: "metrics.loss < 1 or params.lr = '0.1'" } }) },
  "GET runs/search": { call: (f) => ({ query: { experiment_ids: [f.experimentId] } }) },
  "GET metrics/get-history": { call: (f) => ({ query: { run_id: f.runId, metric_key: "loss" } }), foreign: (f) => ({ query: { run_id: f.other.runId, metric_key: "loss" } }) },
  "GET artifacts/list": { call: (f) => ({ query: { run_id: f.runId } }), foreign: (f) => ({ query: { run_id: f.other.runId } }) },

  "POST logged-models": { call: (f) => ({ body: { experiment_id: f.experimentId, name: "model" } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }) },
  "POST logged-models/search": { call: (f) => ({ body: { experiment_ids: [f.experimentId] } }) },
  "GET logged-models/:modelId": { call: (f) => ({ path: `logged-models/${f.loggedModelId}` }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}` }) },
  "PATCH logged-models/:modelId": { call: (f) => ({ path: `logged-models/${f.loggedModelId}`, body: { status: "LOGGED_MODEL_READY" } }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}`, body: { status: "LOGGED_MODEL_READY" } }) },
  "DELETE logged-models/:modelId": { call: (f) => ({ path: `logged-models/${f.loggedModelId}` }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}` }) },
  "PATCH logged-models/:modelId/tags": { call: (f) => ({ path: `logged-models/${f.loggedModelId}/tags`, body: { tags: [{ key: "a", value: "b" }] } }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/tags`, body: { tags: [] } }) },
  "DELETE logged-models/:modelId/tags/*key": { call: (f) => ({ path: `logged-models/${f.loggedModelId}/tags/k` }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/tags/k` }) },
  "POST logged-models/:modelId/params": { call: (f) => ({ path: `logged-models/${f.loggedModelId}/params`, body: { params: [{ key: "a", value: "1" }] } }), foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/params`, body: { params: [] } }) },

  "POST registered-models/create": { call: () => ({ body: { name: unique("model") } }) },
  "GET registered-models/get": { call: (f) => ({ query: { name: f.modelName } }), foreign: (f) => ({ query: { name: f.other.modelName } }) },
  "POST registered-models/rename": { call: (f) => ({ body: { name: f.modelName, new_name: unique("model") } }), foreign: (f) => ({ body: { name: f.other.modelName, new_name: unique("m") } }) },
  "PATCH registered-models/update": { call: (f) => ({ body: { name: f.modelName, description: "d" } }), foreign: (f) => ({ body: { name: f.other.modelName, description: "d" } }) },
  "DELETE registered-models/delete": { call: (f) => ({ body: { name: f.modelName } }), foreign: (f) => ({ body: { name: f.other.modelName } }) },
  "GET registered-models/search": { call: () => ({ query: { max_results: "10" } }) },
  "POST registered-models/search": { call: () => ({ body: { max_results: 10 } }) },
  "POST registered-models/get-latest-versions": { call: (f) => ({ body: { name: f.modelName } }), foreign: (f) => ({ body: { name: f.other.modelName } }) },
  "GET registered-models/get-latest-versions": { call: (f) => ({ query: { name: f.modelName, stages: ["None"] } }), foreign: (f) => ({ query: { name: f.other.modelName } }) },
  "POST registered-models/set-tag": { call: (f) => ({ body: { name: f.modelName, key: "k2", value: "v" } }), foreign: (f) => ({ body: { name: f.other.modelName, key: "k", value: "v" } }) },
  "DELETE registered-models/delete-tag": { call: (f) => ({ body: { name: f.modelName, key: "k" } }), foreign: (f) => ({ body: { name: f.other.modelName, key: "k" } }) },
  "POST registered-models/alias": { call: (f) => ({ body: { name: f.modelName, alias: "challenger", version: "1" } }), foreign: (f) => ({ body: { name: f.other.modelName, alias: "x", version: "1" } }) },
  "DELETE registered-models/alias": { call: (f) => ({ body: { name: f.modelName, alias: "champion" } }), foreign: (f) => ({ body: { name: f.other.modelName, alias: "champion" } }) },
  "GET registered-models/alias": { call: (f) => ({ query: { name: f.modelName, alias: "champion" } }), foreign: (f) => ({ query: { name: f.other.modelName, alias: "champion" } }) },

  "POST model-versions/create": { call: (f) => ({ body: { name: f.modelName, source: `runs:/${f.runId}/model`, run_id: f.runId } }), foreign: (f) => ({ body: { name: f.modelName, source: `runs:/${f.other.runId}/model` } }) },
  "GET model-versions/get": { call: (f) => ({ query: { name: f.modelName, version: "1" } }), foreign: (f) => ({ query: { name: f.other.modelName, version: "1" } }) },
  "PATCH model-versions/update": { call: (f) => ({ body: { name: f.modelName, version: "1", description: "d" } }), foreign: (f) => ({ body: { name: f.other.modelName, version: "1" } }) },
  "DELETE model-versions/delete": { call: (f) => ({ body: { name: f.modelName, version: "1" } }), foreign: (f) => ({ body: { name: f.other.modelName, version: "1" } }) },
  "GET model-versions/search": { call: (f) => ({ query: { filter: `name='${f.modelName}'` } }) },
  "POST model-versions/search": { call: (f) => ({ body: { filter: `name='${f.modelName}'` } }) },
  "POST model-versions/transition-stage": { call: (f) => ({ body: { name: f.modelName, version: "1", stage: "staging" } }), foreign: (f) => ({ body: { name: f.other.modelName, version: "1", stage: "Staging" } }) },
  "GET model-versions/get-download-uri": { call: (f) => ({ query: { name: f.modelName, version: "1" } }), foreign: (f) => ({ query: { name: f.other.modelName, version: "1" } }) },
  "POST model-versions/set-tag": { call: (f) => ({ body: { name: f.modelName, version: "1", key: "k2", value: "v" } }), foreign: (f) => ({ body: { name: f.other.modelName, version: "1", key: "k", value: "v" } }) },
  "DELETE model-versions/delete-tag": { call: (f) => ({ body: { name: f.modelName, version: "1", key: "k" } }), foreign: (f) => ({ body: { name: f.other.modelName, version: "1", key: "k" } }) },
};

/** The artifact proxy, with the permission each method needs. */
const artifactMatrix: Record<string, { permission: Permission; call: (f: Fixture) => { method: string; path: string; body?: string } }> = {
  "list a run's artifacts": { permission: "project.read", call: (f) => ({ method: "GET", path: `artifacts?path=${f.artifactDir}` }) },
  "download an artifact": { permission: "project.read", call: (f) => ({ method: "GET", path: `artifacts/${f.artifactDir}/hello.txt` }) },
  "upload an artifact": { permission: "run.write", call: (f) => ({ method: "PUT", path: `artifacts/${f.artifactDir}/new.txt`, body: "data" }) },
  "delete an artifact": { permission: "run.delete", call: (f) => ({ method: "DELETE", path: `artifacts/${f.artifactDir}/hello.txt` }) },
};

async function seed(ctx: ProjectContext, experimentCount: number) {
  let experimentId = "0";
  let experimentName = "";
  for (let i = 0; i < experimentCount; i++) {
    experimentName = unique("exp");
    experimentId = (await createExperiment({ ctx, input: { name: experimentName } })).experimentId;
  }
  await setExperimentTag({ ctx, input: { experimentId, key: "k", value: "v" } });
  const runId = (await createRun({ ctx, input: { experimentId } })).info.runId;
  await setRunTag({ ctx, input: { runId, key: "k", value: "v" } });
  await logBatch({ ctx, input: { runId, metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }], params: [{ key: "lr", value: "0.1" }] } });
  const loggedModelId = (await createLoggedModel({ ctx, input: { experimentId, sourceRunId: runId } })).info.modelId;
  await setLoggedModelTags({ ctx, input: { modelId: loggedModelId, tags: [{ key: "k", value: "v" }] } });
  const modelName = unique("model");
  await createRegisteredModel({ ctx, input: { name: modelName, tags: [{ key: "k", value: "v" }] } });
  await setRegisteredModelTag({ ctx, input: { name: modelName, key: "k", value: "v" } });
  await createModelVersion({ ctx, input: { name: modelName, source: `runs:/${runId}/model`, runId } });
  await setModelVersionTag({ ctx, input: { name: modelName, version: 1, key: "k", value: "v" } });
  await setAlias({ ctx, input: { name: modelName, alias: "champion", version: 1 } });
  const artifactDir = `${experimentId}/${runId}/artifacts`;
  return { experimentId, experimentName, runId, loggedModelId, modelName, artifactDir };
}

type Other = Awaited<ReturnType<typeof seed>> & { projectId: string };
const noOther = new Proxy({} as Other, {
  get() {
    throw new Error("this case needs makeFixture({ other: true })");
  },
});

/**
 * A seeded project with one member per role (and a non-member), and optionally a second seeded
 * project whose ids must never be reachable from the first.
 */
async function makeFixture(options: { other?: boolean } = {}) {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const ownerCtx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "project.read");
  const mine = await seed(ownerCtx, 1);
  const tokens = {} as Record<Role | "outsider", string>;
  const people = {} as Record<Role | "outsider", Awaited<ReturnType<typeof makeUser>>>;
  for (const role of [...ROLES, "outsider"] as const) {
    people[role] = await makeUser();
    if (role !== "outsider") await addMember(project.id, people[role], role);
    tokens[role] = (await tokenActorOf(people[role])).secret;
  }
  let other = noOther;
  if (options.other) {
    const otherOwner = await makeUser();
    const otherProject = await makeProject(otherOwner);
    const otherCtx = await authorizeProject(createServiceContext(sessionOf(otherOwner)), otherProject.slug, "project.read");
    other = { ...(await seed(otherCtx, 2)), projectId: otherProject.id };
  }
  // A file to read and delete, uploaded by the owner through the proxy itself.
  const ownerToken = (await tokenActorOf(owner)).secret;
  const put = await handleArtifactApi(
    new Request(`http://cairn.test/p/${project.slug}/api/2.0/mlflow-artifacts/artifacts/${mine.artifactDir}/hello.txt`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ownerToken}` },
      body: "hello",
    }),
    project.slug,
    ["artifacts", ...`${mine.artifactDir}/hello.txt`.split("/")],
  );
  expect(put.status).toBe(200);
  return { slug: project.slug, projectId: project.id, people, tokens, ...mine, other };
}

function request(slug: string, method: string, route: string, call: Call, token: string | null) {
  const url = new URL(`http://cairn.test/p/${slug}/api/2.0/mlflow/${call.path ?? route}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  }
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const init: RequestInit = { method, headers };
  if (call.body !== undefined) init.body = JSON.stringify(call.body);
  return handleMlflowApi(new Request(url, init), slug, (call.path ?? route).split("/"));
}

async function status(response: Promise<Response>) {
  const r = await response;
  expect(r.headers.get("content-type")).toContain("application/json");
  if (r.status >= 500) throw new Error(`5xx from the MLflow API: ${await r.text()}`);
  return r.status;
}

describe("MLflow REST authorization matrix", () => {
  it("covers every endpoint", () => {
    const keys = ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort();
    expect(Object.keys(matrix).sort()).toEqual(keys);
  });

  for (const endpoint of ENDPOINTS) {
    const key = `${endpoint.method} ${endpoint.path}`;
    const entry = matrix[key]!;
    const send = (f: Fixture, token: string | null, call = entry.call(f)) => status(request(f.slug, endpoint.method, endpoint.path, call, token));

    // A read changes nothing, so its cases share one fixture; a write gets a fresh one per case.
    const reads = endpoint.permission === "project.read";
    let shared: Promise<Fixture> | undefined;
    const fixture = () => (reads ? (shared ??= makeFixture()) : makeFixture());

    describe(`${key} (needs ${endpoint.permission})`, () => {
      it("without a token: 401", async () => {
        expect(await send(await fixture(), null)).toBe(401);
      });
      it("a non-member's token: 404", async () => {
        const f = await fixture();
        expect(await send(f, f.tokens.outsider)).toBe(404);
      });
      for (const role of ROLES) {
        const expected = roleAllows(role, endpoint.permission) ? 200 : 403;
        it(`${role}: ${expected}`, async () => {
          const f = await fixture();
          expect(await send(f, f.tokens[role])).toBe(expected);
        });
      }
      it("a read-only token of an owner may only read", async () => {
        const f = await fixture();
        const { secret } = await tokenActorOf(f.people.owner, { readOnly: true });
        expect(await send(f, secret)).toBe(reads ? 200 : 403);
      });
      it("a token restricted to another project: 404", async () => {
        const f = await makeFixture({ other: true });
        await addMember(f.other.projectId, f.people.owner, "owner");
        const { secret } = await tokenActorOf(f.people.owner, { projectId: f.other.projectId });
        expect(await send(f, secret)).toBe(404);
      });
      if (entry.foreign) {
        it("ids from another project: 404", async () => {
          const f = await makeFixture({ other: true });
          expect(await send(f, f.tokens.owner, entry.foreign!(f))).toBe(404);
        });
      }
    });
  }

  for (const [name, entry] of Object.entries(artifactMatrix)) {
    describe(`artifact proxy: ${name} (needs ${entry.permission})`, () => {
      const send = async (f: Fixture, token: string | null, pathOverride?: string) => {
        const { method, path: route, body } = entry.call(f);
        const target = pathOverride ?? route;
        const url = new URL(`http://cairn.test/p/${f.slug}/api/2.0/mlflow-artifacts/${target}`);
        const response = await handleArtifactApi(
          new Request(url, { method, body, headers: token ? { authorization: `Bearer ${token}` } : {} }),
          f.slug,
          url.pathname.split("/").slice(6).map(decodeURIComponent),
        );
        if (response.status >= 500) throw new Error(`5xx from the artifact proxy: ${await response.text()}`);
        return response.status;
      };
      it("without a token: 401", async () => {
        expect(await send(await makeFixture(), null)).toBe(401);
      });
      it("a non-member's token: 404", async () => {
        const f = await makeFixture();
        expect(await send(f, f.tokens.outsider)).toBe(404);
      });
      for (const role of ROLES) {
        const expected = roleAllows(role, entry.permission) ? 200 : 403;
        it(`${role}: ${expected}`, async () => {
          const f = await makeFixture();
          expect(await send(f, f.tokens[role])).toBe(expected);
        });
      }
      it("another project's run: 404", async () => {
        const f = await makeFixture({ other: true });
        const foreign = entry.call(f).path.replace(f.artifactDir, `1/${f.other.runId}/artifacts`);
        expect(await send(f, f.tokens.owner, foreign)).toBe(404);
      });
    });
  }
});
