import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES, roleAllows, type Permission, type Role } from "../../server/access/permissions";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { removeMember } from "../../server/services/members";
import { setProjectArchived } from "../../server/services/projects";
import { setUserDisabled } from "../../server/services/users";
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

const read: Permission = "project.read";

/**
 * The permission each endpoint needs, written out by hand: every expected status below derives
 * from this table, never from the endpoint's own declaration, so a wrong declaration fails here.
 * A new endpoint needs a line.
 */
const PINNED: Record<string, Permission> = {
  "POST experiments/create": "experiment.write",
  "GET experiments/get": read,
  "GET experiments/get-by-name": read,
  "POST experiments/search": read,
  "GET experiments/search": read,
  "POST experiments/update": "experiment.write",
  "POST experiments/delete": "experiment.delete",
  "POST experiments/restore": "experiment.delete",
  "POST experiments/set-experiment-tag": "experiment.write",
  "POST experiments/delete-experiment-tag": "experiment.write",

  "POST runs/create": "run.write",
  "GET runs/get": read,
  "POST runs/update": "run.write",
  "POST runs/delete": "run.delete",
  "POST runs/restore": "run.delete",
  "POST runs/set-tag": "run.write",
  "POST runs/delete-tag": "run.write",
  "POST runs/log-metric": "run.write",
  "POST runs/log-parameter": "run.write",
  "POST runs/log-batch": "run.write",
  "POST runs/log-inputs": "run.write",
  "POST runs/outputs": "run.write",
  "POST runs/log-model": "run.write",
  "POST runs/search": read,
  "GET runs/search": read,
  "GET metrics/get-history": read,
  "GET artifacts/list": read,

  "POST logged-models": "run.write",
  "POST logged-models/search": read,
  "GET logged-models/:modelId": read,
  "PATCH logged-models/:modelId": "run.write",
  "DELETE logged-models/:modelId": "run.delete",
  "PATCH logged-models/:modelId/tags": "run.write",
  "DELETE logged-models/:modelId/tags/*key": "run.write",
  "POST logged-models/:modelId/params": "run.write",

  "POST registered-models/create": "model.write",
  "GET registered-models/get": read,
  "POST registered-models/rename": "model.write",
  "PATCH registered-models/update": "model.write",
  "DELETE registered-models/delete": "model.delete",
  "GET registered-models/search": read,
  "POST registered-models/search": read,
  "POST registered-models/get-latest-versions": read,
  "GET registered-models/get-latest-versions": read,
  "POST registered-models/set-tag": "model.write",
  "DELETE registered-models/delete-tag": "model.write",
  "POST registered-models/alias": "model.write",
  "DELETE registered-models/alias": "model.write",
  "GET registered-models/alias": read,

  "POST model-versions/create": "model.write",
  "GET model-versions/get": read,
  "PATCH model-versions/update": "model.write",
  "DELETE model-versions/delete": "model.delete",
  "GET model-versions/search": read,
  "POST model-versions/search": read,
  "POST model-versions/transition-stage": "model.write",
  "GET model-versions/get-download-uri": read,
  "POST model-versions/set-tag": "model.write",
  "DELETE model-versions/delete-tag": "model.write",
};

/** Every MLflow endpoint, with a request that succeeds for whoever may call it. */
const matrix: Record<string, Case> = {
  "POST experiments/create": { call: () => ({ body: { name: unique("exp") } }) },
  "GET experiments/get": { call: (f) => ({ query: { experiment_id: f.experimentId } }), foreign: (f) => ({ query: { experiment_id: f.other.experimentId } }) },
  "GET experiments/get-by-name": {
    call: (f) => ({ query: { experiment_name: f.experimentName } }),
    foreign: (f) => ({ query: { experiment_name: f.other.experimentName } }),
  },
  "POST experiments/search": { call: () => ({ body: { max_results: 5 } }) },
  "GET experiments/search": { call: () => ({ query: { max_results: "5" } }) },
  "POST experiments/update": {
    call: (f) => ({ body: { experiment_id: f.experimentId, new_name: unique("exp") } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId, new_name: unique("x") } }),
  },
  "POST experiments/delete": {
    call: (f) => ({ body: { experiment_id: f.experimentId } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }),
  },
  "POST experiments/restore": {
    call: (f) => ({ body: { experiment_id: f.experimentId } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }),
  },
  "POST experiments/set-experiment-tag": {
    call: (f) => ({ body: { experiment_id: f.experimentId, key: "k2", value: "v" } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId, key: "k", value: "v" } }),
  },
  "POST experiments/delete-experiment-tag": {
    call: (f) => ({ body: { experiment_id: f.experimentId, key: "k" } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId, key: "k" } }),
  },

  "POST runs/create": { call: (f) => ({ body: { experiment_id: f.experimentId } }), foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }) },
  "GET runs/get": { call: (f) => ({ query: { run_id: f.runId } }), foreign: (f) => ({ query: { run_id: f.other.runId } }) },
  "POST runs/update": {
    call: (f) => ({ body: { run_id: f.runId, status: "FINISHED", end_time: 2 } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, status: "FINISHED" } }),
  },
  "POST runs/delete": { call: (f) => ({ body: { run_id: f.runId } }), foreign: (f) => ({ body: { run_id: f.other.runId } }) },
  "POST runs/restore": { call: (f) => ({ body: { run_id: f.runId } }), foreign: (f) => ({ body: { run_id: f.other.runId } }) },
  "POST runs/set-tag": {
    call: (f) => ({ body: { run_id: f.runId, key: "k2", value: "v" } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, key: "k", value: "v" } }),
  },
  "POST runs/delete-tag": { call: (f) => ({ body: { run_id: f.runId, key: "k" } }), foreign: (f) => ({ body: { run_id: f.other.runId, key: "k" } }) },
  "POST runs/log-metric": {
    call: (f) => ({ body: { run_id: f.runId, key: "m", value: 1, timestamp: 1, step: 0 } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, key: "m", value: 1, timestamp: 1 } }),
  },
  "POST runs/log-parameter": {
    call: (f) => ({ body: { run_id: f.runId, key: "p", value: "1" } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, key: "p", value: "1" } }),
  },
  "POST runs/log-batch": {
    call: (f) => ({ body: { run_id: f.runId, metrics: [{ key: "m", value: 2, timestamp: 2, step: 1 }] } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, metrics: [] } }),
  },
  "POST runs/log-inputs": {
    call: (f) => ({ body: { run_id: f.runId, datasets: [{ dataset: { name: "d", digest: "abc", source_type: "local", source: "{}" }, tags: [] }] } }),
    foreign: (f) => ({ body: { run_id: f.other.runId, datasets: [] } }),
  },
  "POST runs/outputs": {
    call: (f) => ({ body: { run_id: f.runId, models: [{ model_id: f.loggedModelId, step: 0 }] } }),
    foreign: (f) => ({ body: { run_id: f.runId, models: [{ model_id: f.other.loggedModelId }] } }),
  },
  "POST runs/log-model": {
    call: (f) => ({
      body: { run_id: f.runId, model_json: JSON.stringify({ artifact_path: "model", flavors: {}, utc_time_created: "2026-01-01", run_id: f.runId }) },
    }),
    foreign: (f) => ({
      body: {
        run_id: f.other.runId,
        model_json: JSON.stringify({ artifact_path: "model", flavors: {}, utc_time_created: "2026-01-01", run_id: f.other.runId }),
      },
    }),
  },
  "POST runs/search": { call: (f) => ({ body: { experiment_ids: [f.experimentId], filter: "metrics.loss < 1 or params.lr = '0.1'" } }) },
  "GET runs/search": { call: (f) => ({ query: { experiment_ids: [f.experimentId] } }) },
  "GET metrics/get-history": {
    call: (f) => ({ query: { run_id: f.runId, metric_key: "loss" } }),
    foreign: (f) => ({ query: { run_id: f.other.runId, metric_key: "loss" } }),
  },
  "GET artifacts/list": { call: (f) => ({ query: { run_id: f.runId } }), foreign: (f) => ({ query: { run_id: f.other.runId } }) },

  "POST logged-models": {
    call: (f) => ({ body: { experiment_id: f.experimentId, name: "model" } }),
    foreign: (f) => ({ body: { experiment_id: f.other.experimentId } }),
  },
  "POST logged-models/search": { call: (f) => ({ body: { experiment_ids: [f.experimentId] } }) },
  "GET logged-models/:modelId": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}` }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}` }),
  },
  "PATCH logged-models/:modelId": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}`, body: { status: "LOGGED_MODEL_READY" } }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}`, body: { status: "LOGGED_MODEL_READY" } }),
  },
  "DELETE logged-models/:modelId": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}` }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}` }),
  },
  "PATCH logged-models/:modelId/tags": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}/tags`, body: { tags: [{ key: "a", value: "b" }] } }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/tags`, body: { tags: [] } }),
  },
  "DELETE logged-models/:modelId/tags/*key": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}/tags/k` }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/tags/k` }),
  },
  "POST logged-models/:modelId/params": {
    call: (f) => ({ path: `logged-models/${f.loggedModelId}/params`, body: { params: [{ key: "a", value: "1" }] } }),
    foreign: (f) => ({ path: `logged-models/${f.other.loggedModelId}/params`, body: { params: [] } }),
  },

  "POST registered-models/create": { call: () => ({ body: { name: unique("model") } }) },
  "GET registered-models/get": { call: (f) => ({ query: { name: f.modelName } }), foreign: (f) => ({ query: { name: f.other.modelName } }) },
  "POST registered-models/rename": {
    call: (f) => ({ body: { name: f.modelName, new_name: unique("model") } }),
    foreign: (f) => ({ body: { name: f.other.modelName, new_name: unique("m") } }),
  },
  "PATCH registered-models/update": {
    call: (f) => ({ body: { name: f.modelName, description: "d" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, description: "d" } }),
  },
  "DELETE registered-models/delete": { call: (f) => ({ body: { name: f.modelName } }), foreign: (f) => ({ body: { name: f.other.modelName } }) },
  "GET registered-models/search": { call: () => ({ query: { max_results: "10" } }) },
  "POST registered-models/search": { call: () => ({ body: { max_results: 10 } }) },
  "POST registered-models/get-latest-versions": { call: (f) => ({ body: { name: f.modelName } }), foreign: (f) => ({ body: { name: f.other.modelName } }) },
  "GET registered-models/get-latest-versions": {
    call: (f) => ({ query: { name: f.modelName, stages: ["None"] } }),
    foreign: (f) => ({ query: { name: f.other.modelName } }),
  },
  "POST registered-models/set-tag": {
    call: (f) => ({ body: { name: f.modelName, key: "k2", value: "v" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, key: "k", value: "v" } }),
  },
  "DELETE registered-models/delete-tag": {
    call: (f) => ({ body: { name: f.modelName, key: "k" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, key: "k" } }),
  },
  "POST registered-models/alias": {
    call: (f) => ({ body: { name: f.modelName, alias: "challenger", version: "1" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, alias: "x", version: "1" } }),
  },
  "DELETE registered-models/alias": {
    call: (f) => ({ body: { name: f.modelName, alias: "champion" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, alias: "champion" } }),
  },
  "GET registered-models/alias": {
    call: (f) => ({ query: { name: f.modelName, alias: "champion" } }),
    foreign: (f) => ({ query: { name: f.other.modelName, alias: "champion" } }),
  },

  "POST model-versions/create": {
    call: (f) => ({ body: { name: f.modelName, source: `runs:/${f.runId}/model`, run_id: f.runId } }),
    foreign: (f) => ({ body: { name: f.modelName, source: `runs:/${f.other.runId}/model` } }),
  },
  "GET model-versions/get": {
    call: (f) => ({ query: { name: f.modelName, version: "1" } }),
    foreign: (f) => ({ query: { name: f.other.modelName, version: "1" } }),
  },
  "PATCH model-versions/update": {
    call: (f) => ({ body: { name: f.modelName, version: "1", description: "d" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, version: "1" } }),
  },
  "DELETE model-versions/delete": {
    call: (f) => ({ body: { name: f.modelName, version: "1" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, version: "1" } }),
  },
  "GET model-versions/search": { call: (f) => ({ query: { filter: `name='${f.modelName}'` } }) },
  "POST model-versions/search": { call: (f) => ({ body: { filter: `name='${f.modelName}'` } }) },
  "POST model-versions/transition-stage": {
    call: (f) => ({ body: { name: f.modelName, version: "1", stage: "staging" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, version: "1", stage: "Staging" } }),
  },
  "GET model-versions/get-download-uri": {
    call: (f) => ({ query: { name: f.modelName, version: "1" } }),
    foreign: (f) => ({ query: { name: f.other.modelName, version: "1" } }),
  },
  "POST model-versions/set-tag": {
    call: (f) => ({ body: { name: f.modelName, version: "1", key: "k2", value: "v" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, version: "1", key: "k", value: "v" } }),
  },
  "DELETE model-versions/delete-tag": {
    call: (f) => ({ body: { name: f.modelName, version: "1", key: "k" } }),
    foreign: (f) => ({ body: { name: f.other.modelName, version: "1", key: "k" } }),
  },
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
 * A seeded project with one member per role, each with an access token; with `everyone`, also a
 * non-member, a removed member and a disabled owner, and a read-only token of the owner. Optionally
 * a second seeded project whose ids must never be reachable from the first (and a token of the owner
 * restricted to it), or the project archived.
 */
async function makeFixture(options: { everyone?: boolean; other?: boolean; archived?: boolean } = {}) {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const ownerCtx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "member.manage");
  const mine = await seed(ownerCtx, 1);
  const tokens = {} as Record<Person, string>;
  const people = {} as Record<Person, Awaited<ReturnType<typeof makeUser>>>;
  const roles: Record<Person, Role | null> = {
    ...Object.fromEntries(ROLES.map((r) => [r, r])),
    outsider: null,
    former: "contributor",
    disabled: "owner",
  } as Record<Person, Role | null>;
  for (const person of options.everyone ? PEOPLE : ROLES) {
    people[person] = await makeUser();
    if (roles[person]) await addMember(project.id, people[person], roles[person]);
    tokens[person] = (await tokenActorOf(people[person])).secret;
  }
  let readOnlyToken = "";
  if (options.everyone) {
    await removeMember({ ctx: ownerCtx, input: { userId: people.former.id } });
    await setUserDisabled({ ctx: createServiceContext(sessionOf(await makeUser({ isAdmin: true }))), input: { userId: people.disabled.id, value: true } });
    readOnlyToken = (await tokenActorOf(people.owner, { readOnly: true })).secret;
  }
  let other = noOther;
  let restrictedToken = "";
  if (options.other) {
    const otherOwner = await makeUser();
    const otherProject = await makeProject(otherOwner);
    const otherCtx = await authorizeProject(createServiceContext(sessionOf(otherOwner)), otherProject.slug, "project.read");
    other = { ...(await seed(otherCtx, 2)), projectId: otherProject.id };
    await addMember(otherProject.id, people.owner, "owner");
    restrictedToken = (await tokenActorOf(people.owner, { projectId: otherProject.id })).secret;
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
  if (options.archived) await setProjectArchived({ ctx: ownerCtx, input: { archived: true } });
  return { slug: project.slug, projectId: project.id, people, tokens, readOnlyToken, restrictedToken, ...mine, other };
}

const PEOPLE = [...ROLES, "outsider", "former", "disabled"] as const;
type Person = (typeof PEOPLE)[number];

// Cases that change nothing (reads, and refusals) share one fixture of each kind; a write that
// succeeds gets a fresh one, with only the members it needs.
const FIXTURES = { plain: {}, other: { other: true }, archived: { archived: true } } as const;
type Kind = keyof typeof FIXTURES;
const sharedFixtures = new Map<Kind, Promise<Fixture>>();
function fixtureFor(kind: Kind, changes: boolean): Promise<Fixture> {
  if (changes) return makeFixture(FIXTURES[kind]);
  let fixture = sharedFixtures.get(kind);
  if (!fixture) sharedFixtures.set(kind, (fixture = makeFixture({ ...FIXTURES[kind], everyone: true })));
  return fixture;
}

/** What an archived project still allows through these doors: reading, written out by hand. */
const archivedAllows = (permission: Permission) => permission === read;

/**
 * The columns every endpoint and artifact route is checked against: who presents which token, and
 * the status that the pinned permission says they get.
 */
function columns(permission: Permission) {
  const reads = permission === read;
  const cases: { name: string; kind: Kind; token: (f: Fixture) => string | null; expected: number }[] = [
    { name: "without a token", kind: "plain", token: () => null, expected: 401 },
    { name: "a non-member's token", kind: "plain", token: (f) => f.tokens.outsider, expected: 404 },
    ...ROLES.map((role) => ({ name: role, kind: "plain" as const, token: (f: Fixture) => f.tokens[role], expected: roleAllows(role, permission) ? 200 : 403 })),
    { name: "a read-only token of an owner", kind: "plain", token: (f) => f.readOnlyToken, expected: reads ? 200 : 403 },
    { name: "a token restricted to another project", kind: "other", token: (f) => f.restrictedToken, expected: 404 },
    { name: "a removed member's token", kind: "plain", token: (f) => f.tokens.former, expected: 404 },
    { name: "a disabled owner's token", kind: "plain", token: (f) => f.tokens.disabled, expected: 401 },
    { name: "an owner's token in an archived project", kind: "archived", token: (f) => f.tokens.owner, expected: archivedAllows(permission) ? 200 : 403 },
  ];
  return cases.map((c) => ({ ...c, changes: !reads && c.expected === 200 }));
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
  it("pins every endpoint's permission by hand, and each declaration matches it", () => {
    const keys = ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort();
    expect(Object.keys(PINNED).sort()).toEqual(keys);
    expect(Object.keys(matrix).sort()).toEqual(keys);
    for (const endpoint of ENDPOINTS)
      expect(endpoint.permission, `${endpoint.method} ${endpoint.path} declares the wrong permission`).toBe(PINNED[`${endpoint.method} ${endpoint.path}`]);
  });

  for (const endpoint of ENDPOINTS) {
    const key = `${endpoint.method} ${endpoint.path}`;
    const entry = matrix[key]!;
    const permission = PINNED[key];
    if (!permission) continue;
    const send = (f: Fixture, token: string | null, call = entry.call(f)) => status(request(f.slug, endpoint.method, endpoint.path, call, token));

    describe(`${key} (needs ${permission})`, () => {
      for (const c of columns(permission)) {
        it(`${c.name}: ${c.expected}`, async () => {
          const f = await fixtureFor(c.kind, c.changes);
          const got = await send(f, c.token(f));
          // A write that should have been refused may have changed the shared fixture: later cases get a new one.
          if (got !== c.expected && permission !== read) sharedFixtures.delete(c.kind);
          expect(got).toBe(c.expected);
        });
      }
      if (entry.foreign) {
        it("ids from another project: 404", async () => {
          const f = await fixtureFor("other", false);
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
      for (const c of columns(entry.permission)) {
        it(`${c.name}: ${c.expected}`, async () => {
          const f = await fixtureFor(c.kind, c.changes);
          const got = await send(f, c.token(f));
          if (got !== c.expected && entry.permission !== read) sharedFixtures.delete(c.kind);
          expect(got).toBe(c.expected);
        });
      }
      it("another project's run: 404", async () => {
        const f = await fixtureFor("other", false);
        const foreign = entry.call(f).path.replace(f.artifactDir, `1/${f.other.runId}/artifacts`);
        expect(await send(f, f.tokens.owner, foreign)).toBe(404);
      });
    });
  }
});
