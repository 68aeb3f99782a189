import { failureOf, mlflow, mlflowError, type MlflowClient } from "../support/mlflow-client";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, makeUser, tokenActorOf, unique } from "../support/factories";

/**
 * The MLflow tracking REST API (experiments, runs, metrics, inputs, logged models) as the Python
 * client calls it, through Cairn's handler and a real database.
 */

let client: MlflowClient;

beforeAll(async () => {
  const owner = await makeUser();
  const project = await makeProject(owner);
  client = mlflow(project.slug, (await tokenActorOf(owner)).secret);
});

type Run = {
  info: Record<string, any>;
  data: {
    metrics?: { key: string; value: unknown; timestamp: number; step: number }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
  inputs?: { dataset_inputs?: any[]; model_inputs?: any[] };
  outputs?: { model_outputs?: any[] };
};

async function newExperiment(name = unique("exp"), tags?: { key: string; value: string }[]): Promise<string> {
  const reply = await client.post("experiments/create", { name, tags });
  expect(reply.status, reply.text).toBe(200);
  return reply.json.experiment_id;
}

async function newRun(experimentId: string, body: Record<string, unknown> = {}): Promise<Run> {
  const reply = await client.post("runs/create", { experiment_id: experimentId, start_time: Date.now(), ...body });
  expect(reply.status, reply.text).toBe(200);
  return reply.json.run;
}

async function getRun(runId: string): Promise<Run> {
  const reply = await client.get("runs/get", { run_id: runId });
  expect(reply.status, reply.text).toBe(200);
  return reply.json.run;
}

async function ok(reply: Promise<{ status: number; text: string; json: any }>) {
  const r = await reply;
  expect(r.status, r.text).toBe(200);
  return r.json;
}

const tagsOf = (run: Run) => Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
const paramsOf = (run: Run) => Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
const metricsOf = (run: Run) => Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m]));

describe("experiments", () => {
  it("has MLflow's Default experiment 0, active, with a proxied artifact location", async () => {
    const { experiment } = await ok(client.get("experiments/get", { experiment_id: "0" }));
    expect(experiment).toMatchObject({ experiment_id: "0", name: "Default", lifecycle_stage: "active", artifact_location: "mlflow-artifacts:/0" });
    const byName = await ok(client.get("experiments/get-by-name", { experiment_name: "Default" }));
    expect(byName.experiment.experiment_id).toBe("0");
  });

  it("creates an experiment with tags and reads it back by id and by name", async () => {
    const name = unique("exp");
    const id = await newExperiment(name, [
      { key: "team", value: "vision" },
      { key: "mlflow.note.content", value: "notes" },
    ]);
    expect(id).toMatch(/^\d+$/);
    const { experiment } = await ok(client.get("experiments/get", { experiment_id: id }));
    expect(experiment).toMatchObject({ experiment_id: id, name, lifecycle_stage: "active", artifact_location: `mlflow-artifacts:/${id}` });
    expect(experiment.creation_time).toEqual(expect.any(Number));
    expect(experiment.last_update_time).toEqual(expect.any(Number));
    expect(experiment.tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "vision" },
        { key: "mlflow.note.content", value: "notes" },
      ]),
    );
    const byName = await ok(client.get("experiments/get-by-name", { experiment_name: name }));
    expect(byName.experiment.experiment_id).toBe(id);
  });

  it("refuses bad experiment names, duplicates (deleted ones included) and unsafe artifact locations", async () => {
    const name = unique("exp");
    await newExperiment(name);
    const deleted = unique("exp");
    await ok(client.post("experiments/delete", { experiment_id: await newExperiment(deleted) }));
    const cases: [string, Record<string, unknown>, ReturnType<typeof mlflowError>][] = [
      ["duplicate name", { name }, mlflowError(400, "RESOURCE_ALREADY_EXISTS", new RegExp(name))],
      ["name of a deleted experiment", { name: deleted }, mlflowError(400, "RESOURCE_ALREADY_EXISTS")],
      ["empty name", { name: "" }, mlflowError(400, "INVALID_PARAMETER_VALUE")],
      ["blank name", { name: "   " }, mlflowError(400, "INVALID_PARAMETER_VALUE")],
      ["missing name", {}, mlflowError(400, "INVALID_PARAMETER_VALUE")],
      ["name over 500 characters", { name: "x".repeat(501) }, mlflowError(400, "INVALID_PARAMETER_VALUE")],
      ["runs: artifact location", { name: unique("exp"), artifact_location: "runs:/abc/model" }, mlflowError(400, "INVALID_PARAMETER_VALUE")],
      ["traversing artifact location", { name: unique("exp"), artifact_location: "s3://bucket/../other" }, mlflowError(400, "INVALID_PARAMETER_VALUE")],
    ];
    for (const [label, body, expected] of cases) {
      expect(failureOf(await client.post("experiments/create", body)), label).toEqual(expected);
    }
  });

  it("handles set_experiment races: concurrent creates get distinct ids, and one name is created once", async () => {
    const names = Array.from({ length: 5 }, () => unique("race"));
    const replies = await Promise.all(names.map((name) => client.post("experiments/create", { name })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.json.experiment_id)).size).toBe(5);

    const same = unique("same");
    const racing = await Promise.all(Array.from({ length: 4 }, () => client.post("experiments/create", { name: same })));
    expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
    for (const loser of racing.filter((r) => r.status !== 200)) expect(failureOf(loser)).toEqual(mlflowError(400, "RESOURCE_ALREADY_EXISTS"));
  });

  it("answers unknown experiments with 404 RESOURCE_DOES_NOT_EXIST and still returns deleted ones", async () => {
    expect(failureOf(await client.get("experiments/get", { experiment_id: "987654" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("experiments/get", { experiment_id: "not-a-number" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    // set_experiment() turns exactly this into "create it".
    const missing = unique("missing");
    expect(failureOf(await client.get("experiments/get-by-name", { experiment_name: missing }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST", new RegExp(missing)),
    );
    const name = unique("exp");
    const id = await newExperiment(name);
    await ok(client.post("experiments/delete", { experiment_id: id }));
    expect((await ok(client.get("experiments/get", { experiment_id: id }))).experiment.lifecycle_stage).toBe("deleted");
    expect((await ok(client.get("experiments/get-by-name", { experiment_name: name }))).experiment).toMatchObject({
      experiment_id: id,
      lifecycle_stage: "deleted",
    });
  });

  it("renames an experiment; refuses a taken name, an unknown id and a deleted experiment", async () => {
    const id = await newExperiment();
    const renamed = unique("renamed");
    expect(await ok(client.post("experiments/update", { experiment_id: id, new_name: renamed }))).toEqual({});
    expect((await ok(client.get("experiments/get", { experiment_id: id }))).experiment.name).toBe(renamed);
    expect((await ok(client.get("experiments/get-by-name", { experiment_name: renamed }))).experiment.experiment_id).toBe(id);

    const other = unique("other");
    await newExperiment(other);
    expect(failureOf(await client.post("experiments/update", { experiment_id: id, new_name: other }))).toEqual(mlflowError(400, "RESOURCE_ALREADY_EXISTS"));
    expect(failureOf(await client.post("experiments/update", { experiment_id: "987654", new_name: unique("x") }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.post("experiments/update", { experiment_id: id, new_name: "" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    await ok(client.post("experiments/delete", { experiment_id: id }));
    // MLflow says INVALID_STATE (a retried 500); a client mistake must be a 4xx.
    expect(failureOf(await client.post("experiments/update", { experiment_id: id, new_name: unique("x") }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
  });

  it("deletes an experiment with its runs, and restoring brings back exactly those runs", async () => {
    const id = await newExperiment();
    const [alone, first, second] = [await newRun(id), await newRun(id), await newRun(id)];
    await ok(client.post("runs/delete", { run_id: alone.info.run_id }));

    await ok(client.post("experiments/delete", { experiment_id: id }));
    for (const run of [alone, first, second]) expect((await getRun(run.info.run_id)).info.lifecycle_stage).toBe("deleted");
    const active = await ok(client.post("runs/search", { experiment_ids: [id], run_view_type: "ACTIVE_ONLY" }));
    expect(active.runs ?? []).toEqual([]);
    expect(failureOf(await client.post("runs/create", { experiment_id: id }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));

    await ok(client.post("experiments/restore", { experiment_id: id }));
    expect((await ok(client.get("experiments/get", { experiment_id: id }))).experiment.lifecycle_stage).toBe("active");
    expect((await getRun(first.info.run_id)).info.lifecycle_stage).toBe("active");
    expect((await getRun(second.info.run_id)).info.lifecycle_stage).toBe("active");
    expect((await getRun(alone.info.run_id)).info.lifecycle_stage).toBe("deleted");

    expect(failureOf(await client.post("experiments/delete", { experiment_id: "987654" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.post("experiments/restore", { experiment_id: "987654" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("sets, overwrites and deletes experiment tags", async () => {
    const id = await newExperiment();
    const tags = async () => (await ok(client.get("experiments/get", { experiment_id: id }))).experiment.tags ?? [];
    expect(await ok(client.post("experiments/set-experiment-tag", { experiment_id: id, key: "stage", value: "a" }))).toEqual({});
    await ok(client.post("experiments/set-experiment-tag", { experiment_id: id, key: "stage", value: "b" }));
    expect(await tags()).toEqual([{ key: "stage", value: "b" }]);
    expect(await ok(client.post("experiments/delete-experiment-tag", { experiment_id: id, key: "stage" }))).toEqual({});
    expect(await tags()).toEqual([]);
    expect(failureOf(await client.post("experiments/delete-experiment-tag", { experiment_id: id, key: "stage" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.post("experiments/set-experiment-tag", { experiment_id: "987654", key: "k", value: "v" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.post("experiments/set-experiment-tag", { experiment_id: id, key: "", value: "v" }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    expect(failureOf(await client.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v".repeat(5001) }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
  });

  describe("search", () => {
    const prefix = unique("search");
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      for (const [name, team] of [
        ["alpha", "red"],
        ["beta", "blue"],
        ["gamma", "red"],
        ["delta", null],
        ["epsilon", "blue"],
        ["zeta", null],
        ["eta", null],
      ] as const) {
        ids[name] = await newExperiment(
          `${prefix}-${name}`,
          team
            ? [
                { key: "team", value: team },
                { key: "odd key", value: `${team}!` },
              ]
            : [],
        );
      }
      await ok(client.post("experiments/delete", { experiment_id: ids.zeta }));
    });

    const names = (experiments: { name: string }[] | undefined) => (experiments ?? []).map((e) => e.name.slice(prefix.length + 1));
    const search = async (body: Record<string, unknown>) => (await ok(client.post("experiments/search", { max_results: 1000, ...body }))).experiments;
    const within = (filter?: string) => `name LIKE '${prefix}-%'${filter ? ` AND ${filter}` : ""}`;

    it.each([
      ["name = ", `name = '${"PREFIX"}-beta'`, ["beta"]],
      ["name !=", "name != 'x' AND attribute.name != 'PREFIX-alpha'", ["beta", "gamma", "delta", "epsilon", "eta"]],
      ["LIKE is case-sensitive", "name LIKE '%-GAMMA'", []],
      ["ILIKE is not", "name ILIKE '%-GAMMA'", ["gamma"]],
      ["tags.key =", "tags.team = 'red'", ["alpha", "gamma"]],
      ["tag. prefix and quoted key", "tag.`odd key` = 'blue!'", ["beta", "epsilon"]],
      ["tag !=", "tags.team != 'red'", ["beta", "epsilon"]],
      ["tag LIKE", "tags.team LIKE 'b%'", ["beta", "epsilon"]],
      ["creation_time", "creation_time >= 0 AND attributes.last_update_time > 0 AND tags.team ILIKE 'RED'", ["alpha", "gamma"]],
    ])("filters by %s", async (_label, filter, expected) => {
      const found = await search({ filter: within(filter.replaceAll("PREFIX", prefix)), order_by: ["name ASC"] });
      expect(names(found).sort()).toEqual([...expected].sort());
    });

    it("orders by name, experiment_id and creation time, newest first by default", async () => {
      expect(names(await search({ filter: within(), order_by: ["name ASC"] }))).toEqual(["alpha", "beta", "delta", "epsilon", "eta", "gamma"]);
      expect(names(await search({ filter: within(), order_by: ["name DESC"] }))).toEqual(["gamma", "eta", "epsilon", "delta", "beta", "alpha"]);
      const created = ["alpha", "beta", "gamma", "delta", "epsilon", "eta"];
      expect(names(await search({ filter: within(), order_by: ["experiment_id ASC"] }))).toEqual(created);
      expect(names(await search({ filter: within(), order_by: ["creation_time DESC"] }))).toEqual([...created].reverse());
      expect(names(await search({ filter: within() }))).toEqual([...created].reverse());
    });

    it("honours view_type", async () => {
      expect(names(await search({ filter: within(), view_type: "DELETED_ONLY" }))).toEqual(["zeta"]);
      expect(names(await search({ filter: within(), view_type: "ALL" }))).toHaveLength(7);
      expect(names(await search({ filter: within(), view_type: "ACTIVE_ONLY" }))).not.toContain("zeta");
      // GET with the Python client's query encoding.
      const viaGet = await ok(client.get("experiments/search", { filter: within(), view_type: "ALL", max_results: 100, order_by: ["name ASC"] }));
      expect(names(viaGet.experiments)).toEqual(["alpha", "beta", "delta", "epsilon", "eta", "gamma", "zeta"]);
    });

    it("pages with max_results and page_token, covering every experiment exactly once", async () => {
      for (const order_by of [[], ["name ASC"], ["creation_time DESC"]]) {
        const seen: string[] = [];
        let page_token: string | undefined;
        let pages = 0;
        do {
          const page = await ok(client.post("experiments/search", { filter: within(), view_type: "ALL", max_results: 3, order_by, page_token }));
          expect(page.experiments.length).toBeLessThanOrEqual(3);
          seen.push(...names(page.experiments));
          page_token = page.next_page_token;
          pages++;
        } while (page_token && pages < 10);
        expect(seen.sort()).toEqual(["alpha", "beta", "delta", "epsilon", "eta", "gamma", "zeta"]);
      }
    });

    it("refuses a bad filter, order_by, max_results or page_token with INVALID_PARAMETER_VALUE and a useful message", async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ filter: "name = " }, /value|position/i],
        [{ filter: "nme = 'x'" }, /nme/],
        [{ filter: "metrics.acc > 1" }, /metrics/],
        [{ filter: "name > 'a'" }, />/],
        [{ filter: "name = 'a' OR" }, /OR|comparison/],
        [{ filter: "name = 'unterminated" }, /Unterminated|quote|string/i],
        [{ order_by: ["bogus"] }, /bogus/],
        [{ order_by: ["name SIDEWAYS"] }, /SIDEWAYS|ASC/],
        [{ max_results: 0 }, /max_results/],
        [{ max_results: 50_001 }, /max_results/],
        [{ page_token: "not a token" }, /page_token|token/i],
      ];
      for (const [body, message] of cases) {
        expect(failureOf(await client.post("experiments/search", body)), JSON.stringify(body)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE", message));
      }
    });
  });
});

describe("runs", () => {
  let experimentId: string;
  beforeAll(async () => {
    experimentId = await newExperiment();
  });

  it("creates a run named by run_name, writing the mlflow.runName tag and a proxied artifact URI", async () => {
    const run = await newRun(experimentId, { run_name: "first", user_id: "alice", start_time: 1_700_000_000_000, tags: [{ key: "team", value: "x" }] });
    const runId = run.info.run_id;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toMatchObject({
      run_uuid: runId,
      run_name: "first",
      experiment_id: experimentId,
      user_id: "alice",
      status: "RUNNING",
      start_time: 1_700_000_000_000,
      lifecycle_stage: "active",
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
    });
    expect(run.info.end_time).toBeUndefined();
    expect(tagsOf(run)).toMatchObject({ "mlflow.runName": "first", team: "x" });
    expect(run.data.metrics ?? []).toEqual([]);
    expect(run.data.params ?? []).toEqual([]);
  });

  it("takes the run name from the mlflow.runName tag, or makes one up, and refuses a conflicting pair", async () => {
    const fromTag = await newRun(experimentId, { tags: [{ key: "mlflow.runName", value: "tagged" }] });
    expect(fromTag.info.run_name).toBe("tagged");
    const both = await newRun(experimentId, { run_name: "same", tags: [{ key: "mlflow.runName", value: "same" }] });
    expect(both.info.run_name).toBe("same");
    const generated = await newRun(experimentId);
    expect(generated.info.run_name).toMatch(/\S/);
    expect(tagsOf(generated)["mlflow.runName"]).toBe(generated.info.run_name);

    const conflict = await client.post("runs/create", { experiment_id: experimentId, run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] });
    expect(failureOf(conflict)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.post("runs/create", { experiment_id: "987654" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("refuses a run in a deleted experiment with 400 INVALID_PARAMETER_VALUE", async () => {
    const id = await newExperiment();
    await ok(client.post("experiments/delete", { experiment_id: id }));
    expect(failureOf(await client.post("runs/create", { experiment_id: id, run_name: "late" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("gets a run by run_id or by the deprecated run_uuid alone", async () => {
    const run = await newRun(experimentId, { run_name: "by-uuid" });
    expect((await ok(client.get("runs/get", { run_uuid: run.info.run_id }))).run.info.run_name).toBe("by-uuid");
    expect((await ok(client.get("runs/get", { run_id: run.info.run_id, run_uuid: run.info.run_id }))).run.info.run_id).toBe(run.info.run_id);
    expect(failureOf(await client.get("runs/get", { run_id: "0123456789abcdef0123456789abcdef" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("runs/get", { run_id: "not-a-run" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("runs/get", {}))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("ends and renames a run with runs/update, keeping the mlflow.runName tag in step", async () => {
    const run = await newRun(experimentId, { run_name: "before" });
    const runId = run.info.run_id;
    const updated = await ok(client.post("runs/update", { run_id: runId, run_uuid: runId, status: "FINISHED", end_time: 1_700_000_100_000 }));
    expect(updated.run_info).toMatchObject({ run_id: runId, status: "FINISHED", end_time: 1_700_000_100_000, run_name: "before" });
    const renamed = await ok(client.post("runs/update", { run_id: runId, run_name: "after" }));
    expect(renamed.run_info).toMatchObject({ run_name: "after", status: "FINISHED" });
    const stored = await getRun(runId);
    expect(stored.info).toMatchObject({ run_name: "after", status: "FINISHED", end_time: 1_700_000_100_000 });
    expect(tagsOf(stored)["mlflow.runName"]).toBe("after");

    expect(failureOf(await client.post("runs/update", { run_id: runId, status: "DONE" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.post("runs/update", { run_id: "0123456789abcdef0123456789abcdef", status: "FINISHED" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    await ok(client.post("runs/delete", { run_id: runId }));
    expect(failureOf(await client.post("runs/update", { run_id: runId, status: "KILLED" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("deletes and restores a run", async () => {
    const run = await newRun(experimentId);
    const runId = run.info.run_id;
    expect(await ok(client.post("runs/delete", { run_id: runId }))).toEqual({});
    expect((await getRun(runId)).info.lifecycle_stage).toBe("deleted");
    const deleted = await ok(client.post("runs/search", { experiment_ids: [experimentId], run_view_type: "DELETED_ONLY" }));
    expect(deleted.runs.map((r: Run) => r.info.run_id)).toContain(runId);
    expect(failureOf(await client.post("runs/log-metric", { run_id: runId, key: "m", value: 1, timestamp: 1 }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    expect(await ok(client.post("runs/restore", { run_id: runId }))).toEqual({});
    expect((await getRun(runId)).info.lifecycle_stage).toBe("active");
    expect(failureOf(await client.post("runs/delete", { run_id: "0123456789abcdef0123456789abcdef" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.post("runs/restore", { run_id: "0123456789abcdef0123456789abcdef" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("sets and deletes run tags; setting mlflow.runName renames the run", async () => {
    const run = await newRun(experimentId, { run_name: "tagged" });
    const runId = run.info.run_id;
    expect(await ok(client.post("runs/set-tag", { run_id: runId, run_uuid: runId, key: "team", value: "a" }))).toEqual({});
    await ok(client.post("runs/set-tag", { run_id: runId, key: "team", value: "b" }));
    await ok(client.post("runs/set-tag", { run_id: runId, key: "mlflow.runName", value: "renamed" }));
    let stored = await getRun(runId);
    expect(tagsOf(stored)).toMatchObject({ team: "b", "mlflow.runName": "renamed" });
    expect(stored.info.run_name).toBe("renamed");

    expect(await ok(client.post("runs/delete-tag", { run_id: runId, key: "team" }))).toEqual({});
    stored = await getRun(runId);
    expect(tagsOf(stored).team).toBeUndefined();
    expect(failureOf(await client.post("runs/delete-tag", { run_id: runId, key: "team" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.post("runs/set-tag", { run_id: runId, key: "x", value: "v".repeat(8001) }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    expect(failureOf(await client.post("runs/set-tag", { run_id: runId, key: "/abs", value: "v" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    await ok(client.post("runs/delete", { run_id: runId }));
    expect(failureOf(await client.post("runs/set-tag", { run_id: runId, key: "x", value: "y" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.post("runs/delete-tag", { run_id: runId, key: "mlflow.runName" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("logs metrics with log-metric and refuses malformed ones", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    expect(await ok(client.post("runs/log-metric", { run_id: runId, run_uuid: runId, key: "loss", value: 0.5, timestamp: 100, step: 2 }))).toEqual({});
    await ok(client.post("runs/log-metric", { run_id: runId, key: "acc", value: 0.75, timestamp: 100 }));
    const metrics = metricsOf(await getRun(runId));
    expect(metrics.loss).toEqual({ key: "loss", value: 0.5, timestamp: 100, step: 2 });
    expect(metrics.acc).toEqual({ key: "acc", value: 0.75, timestamp: 100, step: 0 });

    const bad: Record<string, unknown>[] = [
      { key: "m", value: 1 },
      { key: "m", value: "abc", timestamp: 1 },
      { key: "m", value: 1, timestamp: 1.5 },
      { key: "../m", value: 1, timestamp: 1 },
      { key: "", value: 1, timestamp: 1 },
      { value: 1, timestamp: 1 },
    ];
    for (const body of bad) {
      expect(failureOf(await client.post("runs/log-metric", { run_id: runId, ...body })), JSON.stringify(body)).toEqual(
        mlflowError(400, "INVALID_PARAMETER_VALUE"),
      );
    }
    expect(failureOf(await client.post("runs/log-metric", { run_id: "0123456789abcdef0123456789abcdef", key: "m", value: 1, timestamp: 1 }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("takes concurrent metric, param and tag writes to one run without losing any or failing", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    const writes = [
      ...Array.from({ length: 10 }, (_, i) => client.post("runs/log-metric", { run_id: runId, key: "fresh", value: i, timestamp: 100 + i, step: i })),
      ...Array.from({ length: 5 }, () => client.post("runs/log-parameter", { run_id: runId, key: "same", value: "1" })),
      ...Array.from({ length: 5 }, (_, i) =>
        client.post("runs/log-batch", { run_id: runId, metrics: [{ key: "batched", value: i, timestamp: 1, step: i }], tags: [{ key: `t${i}`, value: "x" }] }),
      ),
    ];
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "fresh" }));
    expect(history.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const stored = await getRun(runId);
    expect(metricsOf(stored).fresh).toMatchObject({ value: 9, step: 9 });
    expect(metricsOf(stored).batched).toMatchObject({ value: 4, step: 4 });
    expect(paramsOf(stored)).toEqual({ same: "1" });
  });

  it("accepts a param logged twice with the same value and refuses a changed value with MLflow's message", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    expect(await ok(client.post("runs/log-parameter", { run_id: runId, run_uuid: runId, key: "lr", value: "0.1" }))).toEqual({});
    expect(await ok(client.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.1" }))).toEqual({});
    const changed = await client.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.2" });
    expect(failureOf(changed)).toEqual(
      mlflowError(
        400,
        "INVALID_PARAMETER_VALUE",
        `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
      ),
    );
    expect(paramsOf(await getRun(runId))).toEqual({ lr: "0.1" });
    expect(failureOf(await client.post("runs/log-parameter", { run_id: runId, key: "long", value: "v".repeat(6001) }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    await ok(client.post("runs/log-parameter", { run_id: runId, key: "longest", value: "v".repeat(6000) }));
  });

  describe("log-batch", () => {
    const metric = (i: number) => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i });
    const param = (i: number) => ({ key: `p${i}`, value: String(i) });
    const tag = (i: number) => ({ key: `t${i}`, value: String(i) });
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);

    it("accepts batches at MLflow's limits", async () => {
      const runId = (await newRun(experimentId)).info.run_id;
      expect(await ok(client.post("runs/log-batch", { run_id: runId, metrics: range(1000).map(metric) }))).toEqual({});
      await ok(client.post("runs/log-batch", { run_id: runId, params: range(100).map(param), tags: range(100).map(tag) }));
      const stored = await getRun(runId);
      expect(stored.data.params).toHaveLength(100);
      expect(Object.keys(tagsOf(stored)).filter((k) => k.startsWith("t"))).toHaveLength(100);
      const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "m0" }));
      expect(history.metrics).toHaveLength(Math.ceil(1000 / 7));
    });

    it.each([
      ["1001 metrics", { metrics: range(1001).map(metric) }],
      ["101 params", { params: range(101).map(param) }],
      ["101 tags", { tags: range(101).map(tag) }],
      ["1001 entities in total", { metrics: range(900).map(metric), params: range(100).map(param), tags: [tag(0)] }],
      [
        "duplicate param keys",
        {
          params: [
            { key: "lr", value: "0.1" },
            { key: "lr", value: "0.1" },
          ],
          metrics: [metric(1)],
        },
      ],
      ["an invalid param key beside good metrics", { params: [{ key: "bad//..//key", value: "1" }], metrics: range(10).map(metric) }],
      ["a metric without timestamp beside good params", { params: [param(1)], metrics: [{ key: "m", value: 1 }] }],
    ])("refuses %s with 400 and writes nothing", async (_label, batch) => {
      const runId = (await newRun(experimentId)).info.run_id;
      const before = await getRun(runId);
      expect(failureOf(await client.post("runs/log-batch", { run_id: runId, ...batch }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
      const after = await getRun(runId);
      expect(after.data).toEqual(before.data);
    });

    it("writes nothing of a batch whose param conflicts with a stored one", async () => {
      const runId = (await newRun(experimentId)).info.run_id;
      await ok(client.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.1" }));
      const before = await getRun(runId);
      const reply = await client.post("runs/log-batch", {
        run_id: runId,
        metrics: range(20).map(metric),
        params: [
          { key: "new", value: "1" },
          { key: "lr", value: "0.5" },
        ],
        tags: [{ key: "fresh", value: "1" }],
      });
      expect(failureOf(reply)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE", /Changing param values is not allowed/));
      expect((await getRun(runId)).data).toEqual(before.data);
      expect((await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "m0" }))).metrics ?? []).toEqual([]);
    });

    it("keeps exactly one copy of each point when the same batch is sent twice", async () => {
      const runId = (await newRun(experimentId)).info.run_id;
      const batch = {
        run_id: runId,
        metrics: [
          { key: "loss", value: 0.9, timestamp: 10, step: 0 },
          { key: "loss", value: 0.5, timestamp: 20, step: 1 },
          { key: "loss", value: 0.5, timestamp: 20, step: 1 },
          { key: "loss", value: 0.3, timestamp: 30, step: 2 },
        ],
        params: [{ key: "lr", value: "0.1" }],
        tags: [{ key: "phase", value: "train" }],
      };
      await ok(client.post("runs/log-batch", batch));
      await ok(client.post("runs/log-batch", batch));
      const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: 25000 }));
      expect(history.metrics.map((m: { step: number; value: number; timestamp: number }) => [m.step, m.timestamp, m.value])).toEqual([
        [0, 10, 0.9],
        [1, 20, 0.5],
        [2, 30, 0.3],
      ]);
      const stored = await getRun(runId);
      expect(metricsOf(stored).loss).toMatchObject({ value: 0.3, step: 2 });
      expect(paramsOf(stored)).toEqual({ lr: "0.1" });
      expect(tagsOf(stored).phase).toBe("train");
    });
  });

  it("sends NaN and infinities back as the strings they were logged as, never as bare tokens", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    await ok(
      client.post("runs/log-batch", {
        run_id: runId,
        metrics: [
          { key: "nan", value: "NaN", timestamp: 1, step: 0 },
          { key: "inf", value: "Infinity", timestamp: 1, step: 0 },
          { key: "ninf", value: "-Infinity", timestamp: 1, step: 0 },
        ],
      }),
    );
    // A bare token right after ':', ',' or '[' is what breaks JSON parsers (and makes `json` undefined).
    const bare = /[:,[]\s*-?(?:NaN|Infinity)/;

    const got = await client.get("runs/get", { run_id: runId });
    expect(got.text).not.toMatch(bare);
    expect(Object.fromEntries(got.json.run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]))).toEqual({
      nan: "NaN",
      inf: "Infinity",
      ninf: "-Infinity",
    });

    for (const [key, value] of [
      ["nan", "NaN"],
      ["inf", "Infinity"],
      ["ninf", "-Infinity"],
    ]) {
      const history = await client.get("metrics/get-history", { run_id: runId, metric_key: key });
      expect(history.text).not.toMatch(bare);
      expect(history.json.metrics.every((m: { value: unknown }) => m.value === value)).toBe(true);
    }
    const searched = await client.post("runs/search", { experiment_ids: [experimentId], filter: `attributes.run_id = '${runId}'` });
    expect(searched.text).not.toMatch(bare);
    expect(searched.json.runs[0].data.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ key: "ninf", value: "-Infinity" })]));
  });

  it.each(["NaN", "Infinity", "-Infinity"])("accepts %s as a log-metric value and returns it as that string", async (value) => {
    // mlflow.log_metric("x", float("nan")) sends exactly this.
    const runId = (await newRun(experimentId)).info.run_id;
    const reply = await client.post("runs/log-metric", { run_id: runId, run_uuid: runId, key: "odd", value, timestamp: 5, step: 1 });
    expect({ status: reply.status, body: reply.json }).toEqual({ status: 200, body: {} });
    const history = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "odd" }));
    expect(history.metrics).toEqual([{ key: "odd", value, timestamp: 5, step: 1 }]);
  });

  describe("values and keys as MLflow's server validates them (observed on MLflow 3.17.2)", () => {
    const historyOf = async (runId: string, key: string) =>
      (await ok(client.get("metrics/get-history", { run_id: runId, metric_key: key }))).metrics.map((m: { value: unknown }) => m.value);

    it("reads a metric value sent as a string as Python's float() does", async () => {
      const runId = (await newRun(experimentId)).info.run_id;
      const accepted: Array<[unknown, unknown]> = [
        ["1e999", "Infinity"],
        [" 1", 1],
        ["1_000", 1000],
        ["Infinity", "Infinity"],
        ["-inf", "-Infinity"],
        ["NaN", "NaN"],
        ["nan", "NaN"],
        ["\u0661\u0662", 12],
        [16, 16],
        [0.25, 0.25],
        [true, 1],
      ];
      for (const [i, [value, stored]] of accepted.entries()) {
        const reply = await client.post("runs/log-metric", { run_id: runId, key: `ok${i}`, value, timestamp: 5 });
        expect(reply.status, `${JSON.stringify(value)}: ${reply.text}`).toBe(200);
        expect(await historyOf(runId, `ok${i}`), JSON.stringify(value)).toEqual([stored]);
      }
      // A JSON number beyond the double range, which JSON.stringify cannot write.
      const huge = await client.post("runs/log-metric", `{"run_id": "${runId}", "key": "huge", "value": 1e999, "timestamp": 5}`);
      expect(huge.status, huge.text).toBe(200);
      expect(await historyOf(runId, "huge")).toEqual(["Infinity"]);

      for (const value of ["0x10", "0b1", "1,5", "true", "Infinityx", "", [1], {}]) {
        const reply = await client.post("runs/log-metric", { run_id: runId, key: "bad", value, timestamp: 5 });
        expect(failureOf(reply), JSON.stringify(value)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
      }
      expect(await historyOf(runId, "bad")).toEqual([]);
    });

    it("accepts metric, param and tag keys in any script, alone and in a batch", async () => {
      const runId = (await newRun(experimentId)).info.run_id;
      await ok(client.post("runs/log-metric", { run_id: runId, key: "précision", value: 0.9, timestamp: 5 }));
      await ok(client.post("runs/log-parameter", { run_id: runId, key: "损失/train", value: "mse" }));
      await ok(client.post("runs/set-tag", { run_id: runId, key: "ключ", value: "значение" }));
      await ok(
        client.post("runs/log-batch", {
          run_id: runId,
          metrics: [{ key: "损失/train", value: 0.1, timestamp: 5, step: 0 }],
          params: [{ key: "ключ", value: "1" }],
          tags: [{ key: "précision", value: "haute" }],
        }),
      );
      const run = await getRun(runId);
      expect(Object.keys(metricsOf(run)).sort()).toEqual(["précision", "损失/train"].sort());
      expect(paramsOf(run)).toEqual({ "损失/train": "mse", ключ: "1" });
      expect(tagsOf(run)).toMatchObject({ ключ: "значение", précision: "haute" });
      expect(await historyOf(runId, "损失/train")).toEqual([0.1]);
    });

    it("refuses the keys MLflow refuses, and a batch holding one writes nothing", async () => {
      const run = await newRun(experimentId);
      const runId = run.info.run_id;
      const refused = ["..", "..a", "/a", "a//b", "a/./b", "a/", "a$", "a,b", "😀", "e\u0301", "a\tb", "a\nb"];
      for (const key of refused) {
        const body = JSON.stringify(key);
        expect(failureOf(await client.post("runs/log-metric", { run_id: runId, key, value: 1, timestamp: 5 })), body).toEqual(
          mlflowError(400, "INVALID_PARAMETER_VALUE"),
        );
        expect(failureOf(await client.post("runs/log-parameter", { run_id: runId, key, value: "v" })), body).toEqual(
          mlflowError(400, "INVALID_PARAMETER_VALUE"),
        );
        expect(failureOf(await client.post("runs/set-tag", { run_id: runId, key, value: "v" })), body).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
        const batch = { run_id: runId, metrics: [{ key: "fine", value: 1, timestamp: 5, step: 0 }], params: [{ key, value: "v" }] };
        expect(failureOf(await client.post("runs/log-batch", batch)), body).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
      }
      expect((await getRun(runId)).data).toEqual(run.data);
    });
  });

  it("shows as latest metric value the point with the largest (step, timestamp, value), whatever the logging order", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    const log = (value: number, timestamp: number, step: number) => ok(client.post("runs/log-metric", { run_id: runId, key: "m", value, timestamp, step }));
    const latest = async () => metricsOf(await getRun(runId)).m;
    await log(1, 10, 2);
    await log(9, 999, 1); // later, but an earlier step
    expect(await latest()).toEqual({ key: "m", value: 1, timestamp: 10, step: 2 });
    await log(3, 10, 2); // same step and time, larger value
    expect(await latest()).toMatchObject({ value: 3, step: 2 });
    await log(100, 5, 2); // same step, earlier time
    expect(await latest()).toMatchObject({ value: 3, timestamp: 10 });
    await log(-5, 6, 3);
    expect(await latest()).toMatchObject({ value: -5, step: 3 });
    // Within one batch the same rule applies.
    const batchRun = (await newRun(experimentId)).info.run_id;
    await ok(
      client.post("runs/log-batch", {
        run_id: batchRun,
        metrics: [
          { key: "m", value: 7, timestamp: 50, step: 4 },
          { key: "m", value: 8, timestamp: 40, step: 4 },
          { key: "m", value: 2, timestamp: 90, step: 3 },
        ],
      }),
    );
    expect(metricsOf(await getRun(batchRun)).m).toEqual({ key: "m", value: 7, timestamp: 50, step: 4 });
  });

  it("pages metric history, always honouring max_results", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    await ok(
      client.post("runs/log-batch", { run_id: runId, metrics: Array.from({ length: 25 }, (_, i) => ({ key: "m", value: i, timestamp: 1000 + i, step: i })) }),
    );
    for (const max of [1, 7, 10, 25]) {
      const steps: number[] = [];
      let page_token: string | undefined;
      let pages = 0;
      do {
        const page = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "m", max_results: max, page_token }));
        expect(page.metrics.length).toBeLessThanOrEqual(max);
        steps.push(...page.metrics.map((m: { step: number }) => m.step));
        page_token = page.next_page_token;
        pages++;
      } while (page_token && pages < 30);
      expect(steps, `max_results=${max}`).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
    const all = await ok(client.get("metrics/get-history", { run_uuid: runId, metric_key: "m" }));
    expect(all.metrics).toHaveLength(25);
    expect(all.next_page_token).toBeUndefined();
    expect(all.metrics[0]).toEqual({ key: "m", value: 0, timestamp: 1000, step: 0 });
    expect((await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "nope" }))).metrics ?? []).toEqual([]);
    expect(failureOf(await client.get("metrics/get-history", { run_id: "0123456789abcdef0123456789abcdef", metric_key: "m" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.get("metrics/get-history", { run_id: runId, metric_key: "m", page_token: "garbage!" }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    expect(failureOf(await client.get("metrics/get-history", { run_id: runId, metric_key: "m", max_results: 0 }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
  });

  it("reads a history of more than 50,000 points in one call, as MLflow's server does, and refuses only a page size below 1", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    const points = 60_000;
    for (let start = 0; start < points; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: "long",
        value: (start + i) / 2,
        timestamp: 1_700_000_000_000 + start + i,
        step: start + i,
      }));
      await ok(client.post("runs/log-batch", { run_id: runId, metrics }));
    }
    const steps = (reply: { metrics: { step: number }[] }) => reply.metrics.map((m) => m.step);
    const everyStep = Array.from({ length: points }, (_, i) => i);

    const whole = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "long" }));
    expect(steps(whole)).toEqual(everyStep);
    expect(whole.next_page_token).toBeUndefined();
    expect(whole.metrics[points - 1]).toEqual({ key: "long", value: (points - 1) / 2, timestamp: 1_700_000_000_000 + points - 1, step: points - 1 });

    for (const max of [points, 2_147_483_647]) {
      const all = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "long", max_results: max }));
      expect(steps(all), `max_results=${max}`).toEqual(everyStep);
      expect(all.next_page_token).toBeUndefined();
    }
    const first = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "long", max_results: 50_001 }));
    expect(first.metrics).toHaveLength(50_001);
    const rest = await ok(client.get("metrics/get-history", { run_id: runId, metric_key: "long", max_results: 50_001, page_token: first.next_page_token }));
    expect([...steps(first), ...steps(rest)]).toEqual(everyStep);
    expect(rest.next_page_token).toBeUndefined();

    for (const max of [0, -1]) {
      expect(failureOf(await client.get("metrics/get-history", { run_id: runId, metric_key: "long", max_results: max }))).toEqual(
        mlflowError(
          400,
          "INVALID_PARAMETER_VALUE",
          new RegExp(`Invalid value ${max} for parameter 'max_results' supplied\\. It must be a positive integer\\.`),
        ),
      );
    }
  });

  it("records dataset inputs, shared by (name, digest) across runs, with their context tag", async () => {
    const exp = await newExperiment();
    const [a, b] = [(await newRun(exp, { run_name: "a" })).info.run_id, (await newRun(exp, { run_name: "b" })).info.run_id];
    const dataset = (source: string) => ({
      name: "iris",
      digest: "d1g3st",
      source_type: "local",
      source: JSON.stringify({ uri: source }),
      schema: '{"mlflow_colspec": []}',
      profile: '{"num_rows": 150}',
    });
    const input = (source: string, context: string) => ({ tags: [{ key: "mlflow.data.context", value: context }], dataset: dataset(source) });
    expect(await ok(client.post("runs/log-inputs", { run_id: a, datasets: [input("/data/a.csv", "training")] }))).toEqual({});
    await ok(client.post("runs/log-inputs", { run_id: a, datasets: [input("/data/a.csv", "training")] }));
    await ok(
      client.post("runs/log-inputs", {
        run_id: b,
        datasets: [input("/data/b.csv", "eval"), { tags: [], dataset: { ...dataset("/data/other.csv"), name: "other", digest: "0ther" } }],
      }),
    );

    const inputsOf = async (runId: string) => (await getRun(runId)).inputs?.dataset_inputs ?? [];
    const inA = await inputsOf(a);
    expect(inA).toEqual([{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: dataset("/data/a.csv") }]);
    const inB = await inputsOf(b);
    expect(inB).toHaveLength(2);
    // The same (name, digest) is one dataset: run b refers to the one run a logged first.
    expect(inB.find((i: any) => i.dataset.name === "iris")).toEqual({ tags: [{ key: "mlflow.data.context", value: "eval" }], dataset: dataset("/data/a.csv") });

    const found = async (filter: string) =>
      ((await ok(client.post("runs/search", { experiment_ids: [exp], filter }))).runs ?? []).map((r: Run) => r.info.run_name).sort();
    expect(await found("datasets.name = 'iris'")).toEqual(["a", "b"]);
    expect(await found("datasets.digest IN ('0ther', 'nope')")).toEqual(["b"]);
    expect(await found("dataset.context = 'training'")).toEqual(["a"]);
    expect(await found("datasets.context IN ('eval')")).toEqual(["b"]);
    expect(await found("datasets.name LIKE 'oth%'")).toEqual(["b"]);
    expect(await found("datasets.name NOT IN ('iris')")).toEqual(["b"]);

    const missingDigest = { tags: [], dataset: { name: "x", source_type: "local", source: "{}" } };
    expect(failureOf(await client.post("runs/log-inputs", { run_id: a, datasets: [missingDigest] }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("links MLflow 3 logged models as run outputs", async () => {
    const run = await newRun(experimentId);
    const { model } = await ok(client.post("logged-models", { experiment_id: experimentId, name: "model", source_run_id: run.info.run_id }));
    expect(await ok(client.post("runs/outputs", { run_id: run.info.run_id, models: [{ model_id: model.info.model_id, step: 3 }] }))).toEqual({});
    expect((await getRun(run.info.run_id)).outputs?.model_outputs).toEqual([{ model_id: model.info.model_id, step: 3 }]);
    expect(
      failureOf(await client.post("runs/outputs", { run_id: "0123456789abcdef0123456789abcdef", models: [{ model_id: model.info.model_id, step: 0 }] })),
    ).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("keeps MLflow 2.x log-model summaries in the mlflow.log-model.history tag", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    const model = (path: string) => ({
      artifact_path: path,
      run_id: runId,
      utc_time_created: "2024-01-01 00:00:00.000000",
      flavors: { python_function: { loader_module: "mlflow.sklearn" } },
      model_uuid: path,
    });
    expect(await ok(client.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(model("model")) }))).toEqual({});
    await ok(client.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(model("model2")) }));
    const history = JSON.parse(tagsOf(await getRun(runId))["mlflow.log-model.history"]!);
    expect(history.map((m: { artifact_path: string }) => m.artifact_path)).toEqual(["model", "model2"]);
    expect(history[0]).toMatchObject({ run_id: runId, flavors: { python_function: { loader_module: "mlflow.sklearn" } } });

    const { flavors: _, ...withoutFlavors } = model("x");
    expect(failureOf(await client.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(withoutFlavors) }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
    for (const modelJson of ["{not json", "null", "[]", "42"]) {
      expect(failureOf(await client.post("runs/log-model", { run_id: runId, model_json: modelJson })), modelJson).toEqual(
        mlflowError(400, "INVALID_PARAMETER_VALUE"),
      );
    }
  });

  it("starts the log-model history afresh when a client overwrote the tag with something else", async () => {
    const runId = (await newRun(experimentId)).info.run_id;
    await ok(client.post("runs/set-tag", { run_id: runId, key: "mlflow.log-model.history", value: "not a list" }));
    const summary = { artifact_path: "model", run_id: runId, utc_time_created: "2024-01-01 00:00:00.000000", flavors: {} };
    await ok(client.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(summary) }));
    expect(JSON.parse(tagsOf(await getRun(runId))["mlflow.log-model.history"]!)).toEqual([summary]);
  });

  it("lists a run's artifacts with paths relative to the run's artifact root", async () => {
    const run = await newRun(experimentId);
    const runId = run.info.run_id;
    const root = `${experimentId}/${runId}/artifacts`;
    for (const [file, body] of [
      ["plot.png", "png!"],
      ["model/MLmodel", "flavors: {}"],
      ["model/data/model.pkl", "pickle"],
    ]) {
      expect((await client.putArtifact(`${root}/${file}`, body!)).status).toBe(200);
    }
    const top = await ok(client.get("artifacts/list", { run_id: runId }));
    expect(top.root_uri).toBe(run.info.artifact_uri);
    expect(top.files).toEqual([
      { path: "model", is_dir: true },
      { path: "plot.png", is_dir: false, file_size: 4 },
    ]);
    const model = await ok(client.get("artifacts/list", { run_uuid: runId, path: "model" }));
    expect(model.files).toEqual([
      { path: "model/MLmodel", is_dir: false, file_size: 11 },
      { path: "model/data", is_dir: true },
    ]);
    expect((await ok(client.get("artifacts/list", { run_id: runId, path: "model/data" }))).files).toEqual([
      { path: "model/data/model.pkl", is_dir: false, file_size: 6 },
    ]);
    expect((await ok(client.get("artifacts/list", { run_id: runId, path: "nothing/here" }))).files ?? []).toEqual([]);
    expect(failureOf(await client.get("artifacts/list", { run_id: runId, path: "../../other" })).status).toBe(400);
    expect(failureOf(await client.get("artifacts/list", { run_id: "0123456789abcdef0123456789abcdef" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });
});

describe("run search", () => {
  let exp: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    exp = await newExperiment();
    const fixtures: [string, number | null, string | null, string | null, string][] = [
      ["r1", 0.9, "0.1", "red", "alice"],
      ["r2", 0.5, "0.01", "blue", "bob"],
      ["r3", 0.7, "0.5", "Red", "bob"],
      ["r4", null, "0.1", null, "bob"],
      ["r5", 0.95, null, "blue", "bob"],
    ];
    for (const [i, [name, acc, lr, team, user]] of fixtures.entries()) {
      const run = await newRun(exp, { run_name: name, user_id: user, start_time: 1000 + i, tags: team ? [{ key: "team", value: team }] : [] });
      ids[name] = run.info.run_id;
      await ok(
        client.post("runs/log-batch", {
          run_id: run.info.run_id,
          metrics: acc === null ? [] : [{ key: "acc", value: acc, timestamp: 1, step: 0 }],
          params: lr === null ? [] : [{ key: "lr", value: lr }],
        }),
      );
    }
    await ok(client.post("runs/update", { run_id: ids.r1, status: "FINISHED", end_time: 5000 }));
    await ok(client.post("runs/update", { run_id: ids.r5, status: "FAILED", end_time: 6000 }));
  });

  const search = async (body: Record<string, unknown>) => (await ok(client.post("runs/search", { experiment_ids: [exp], ...body }))).runs ?? [];
  const namesOf = (runs: Run[]) => runs.map((r) => r.info.run_name);

  it.each([
    ["metrics.acc = 0.9", ["r1"]],
    ["metrics.acc != 0.9", ["r2", "r3", "r5"]],
    ["metrics.acc < 0.7", ["r2"]],
    ["metrics.acc <= 0.7", ["r2", "r3"]],
    ["metrics.acc > 0.9", ["r5"]],
    ["metric.acc >= 0.9", ["r1", "r5"]],
    ["params.lr = '0.1'", ["r1", "r4"]],
    ["params.lr != '0.1'", ["r2", "r3"]],
    ["param.lr LIKE '0.0%'", ["r2"]],
    ["parameter.lr ILIKE '0._'", ["r1", "r3", "r4"]],
    ["tags.team = 'red'", ["r1"]],
    ["tags.team != 'red'", ["r2", "r3", "r5"]],
    ["tag.team LIKE 'R%'", ["r3"]],
    ["tags.team ILIKE 'r%'", ["r1", "r3"]],
    ["tags.`mlflow.runName` = 'r2'", ["r2"]],
    ["attributes.run_name = 'r3'", ["r3"]],
    ["run_name != 'r3'", ["r1", "r2", "r4", "r5"]],
    ["attributes.`Run name` LIKE 'r%'", ["r1", "r2", "r3", "r4", "r5"]],
    ["attribute.status = 'FINISHED'", ["r1"]],
    ["status != 'RUNNING'", ["r1", "r5"]],
    ["attributes.status ILIKE 'fail%'", ["r5"]],
    ["attributes.user_id = 'alice'", ["r1"]],
    ["attributes.artifact_uri LIKE '%RUN(r2)%'", ["r2"]],
    ["attributes.run_id IN ('RUN(r1)', 'RUN(r3)')", ["r1", "r3"]],
    ["attributes.run_id NOT IN ('RUN(r1)')", ["r2", "r3", "r4", "r5"]],
    ["run.run_id = 'RUN(r4)'", ["r4"]],
    ["attributes.start_time > 1002", ["r4", "r5"]],
    ["attributes.start_time <= 1001", ["r1", "r2"]],
    ["created >= 1004", ["r5"]],
    ["attributes.start_time != 1000 AND attributes.start_time < 1003", ["r2", "r3"]],
    ["attributes.end_time > 5500", ["r5"]],
    ["attr.end_time = 5000", ["r1"]],
    ["metrics.acc > 0.9 OR params.lr = '0.5'", ["r3", "r5"]],
    ["(tags.team = 'red' OR tags.team = 'blue') AND metrics.acc >= 0.9", ["r1", "r5"]],
    ["params.lr = '0.1' and (metrics.acc > 0.8 or tags.team = 'nobody')", ["r1"]],
    ["((metrics.acc < 0.6)) OR (params.lr = '0.1' AND NOT_A_THING_HERE = 'x')", null],
  ])("filters with %s", async (filter, expected) => {
    const resolved = filter.replace(/RUN\((r\d)\)/g, (_, name: string) => ids[name]!);
    if (expected === null) {
      expect(failureOf(await client.post("runs/search", { experiment_ids: [exp], filter: resolved }))).toEqual(
        mlflowError(400, "INVALID_PARAMETER_VALUE", /NOT_A_THING_HERE/),
      );
      return;
    }
    expect(namesOf(await search({ filter: resolved })).sort()).toEqual(expected);
  });

  it.each([
    [[], ["r5", "r4", "r3", "r2", "r1"]],
    [["metrics.acc DESC"], ["r5", "r1", "r3", "r2", "r4"]],
    [["metrics.acc ASC"], ["r2", "r3", "r1", "r5", "r4"]],
    [["metrics.acc"], ["r2", "r3", "r1", "r5", "r4"]],
    // Ties (r1 and r4 share lr) fall back to start_time DESC, as in MLflow; r5 has no lr.
    [["params.lr ASC"], ["r2", "r4", "r1", "r3", "r5"]],
    [["params.lr DESC"], ["r3", "r4", "r1", "r2", "r5"]],
    [
      ["attributes.status ASC", "metrics.acc DESC"],
      ["r5", "r1", "r3", "r2", "r4"],
    ],
    [["attributes.start_time ASC"], ["r1", "r2", "r3", "r4", "r5"]],
    [["attributes.run_name DESC"], ["r5", "r4", "r3", "r2", "r1"]],
    [["attributes.end_time DESC"], ["r5", "r1", "r4", "r3", "r2"]],
  ])("orders by %j with missing values last", async (order_by, expected) => {
    expect(namesOf(await search({ order_by }))).toEqual(expected);
  });

  it("refuses bad filters and order_by with 400 INVALID_PARAMETER_VALUE", async () => {
    const cases: Record<string, unknown>[] = [
      { filter: "metrics.acc > 'high'" },
      { filter: "params.lr > '0.1'" },
      { filter: "params.lr = 0.1" },
      { filter: "foo.bar = 'x'" },
      { filter: "attributes.colour = 'x'" },
      { filter: "attributes.run_name IN ('a')" },
      { filter: "(metrics.acc > 1" },
      { filter: "metrics.acc > 1)" },
      { filter: "metrics.acc" },
      { filter: "metrics.acc == 1" },
      { order_by: ["metrics.acc UP"] },
      { order_by: ["attributes.colour"] },
      { max_results: 50_001 },
      { max_results: -1 },
      { run_view_type: "SOMETIMES" },
    ];
    for (const body of cases) {
      expect(failureOf(await client.post("runs/search", { experiment_ids: [exp], ...body })), JSON.stringify(body)).toEqual(
        mlflowError(400, "INVALID_PARAMETER_VALUE"),
      );
    }
  });

  it("searches through GET with repeated experiment_ids and order_by keys", async () => {
    const other = await newExperiment();
    await newRun(other, { run_name: "elsewhere", start_time: 999 });
    const reply = await ok(client.get("runs/search", { experiment_ids: [exp, other], order_by: ["attributes.start_time ASC"], max_results: 3 }));
    expect(namesOf(reply.runs)).toEqual(["elsewhere", "r1", "r2"]);
    expect(reply.next_page_token).toEqual(expect.any(String));
  });

  it("returns full runs: latest metrics, params, tags", async () => {
    const [run] = await search({ filter: "attributes.run_name = 'r1'" });
    expect(metricsOf(run).acc).toEqual({ key: "acc", value: 0.9, timestamp: 1, step: 0 });
    expect(paramsOf(run)).toEqual({ lr: "0.1" });
    expect(tagsOf(run)).toMatchObject({ team: "red", "mlflow.runName": "r1" });
  });

  it("orders by a metric with numbers first, then NaN and missing values, the same in every page size", async () => {
    const mixed = await newExperiment();
    const values: (number | "NaN" | null)[] = [3, "NaN", 1, null, 2, 5, null, "NaN", 4, 0];
    for (const [i, value] of values.entries()) {
      const run = await newRun(mixed, { start_time: 1000 + i, run_name: `v${i}` });
      if (value !== null) await ok(client.post("runs/log-metric", { run_id: run.info.run_id, key: "score", value, timestamp: 1 }));
    }
    // Without the metric (NaN counts as missing): newest first, as the tie-break says.
    const lacking = ["v7", "v6", "v3", "v1"];
    const expected = {
      "metrics.score DESC": ["v5", "v8", "v0", "v4", "v2", "v9", ...lacking],
      "metrics.score ASC": ["v9", "v2", "v4", "v0", "v8", "v5", ...lacking],
    };
    for (const [term, names] of Object.entries(expected)) {
      for (const max_results of [1, 3, 4, 6, 10]) {
        const seen: string[] = [];
        let page_token: string | undefined;
        do {
          const page = await ok(client.post("runs/search", { experiment_ids: [mixed], max_results, order_by: [term], page_token }));
          seen.push(...namesOf(page.runs));
          page_token = page.next_page_token;
        } while (page_token && seen.length <= values.length);
        expect(seen, `${term}, pages of ${max_results}`).toEqual(names);
      }
    }
  });

  it("pages deterministically over 25 runs with max_results 10, ties included", async () => {
    const busy = await newExperiment();
    const created: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Equal start times and params, so only the tie-breaks make the order.
      const run = await newRun(busy, { start_time: 5000 + (i % 3), run_name: `p${i}` });
      await ok(client.post("runs/log-parameter", { run_id: run.info.run_id, key: "same", value: "1" }));
      if (i % 2) await ok(client.post("runs/log-metric", { run_id: run.info.run_id, key: "m", value: i % 4, timestamp: 1 }));
      created.push(run.info.run_id);
    }
    for (const order_by of [[], ["params.same ASC"], ["metrics.m DESC"], ["attributes.start_time ASC"]]) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let page_token: string | undefined;
      do {
        const page = await ok(client.post("runs/search", { experiment_ids: [busy], max_results: 10, order_by, page_token }));
        sizes.push(page.runs.length);
        seen.push(...page.runs.map((r: Run) => r.info.run_id));
        page_token = page.next_page_token;
      } while (page_token && sizes.length < 10);
      expect(sizes, JSON.stringify(order_by)).toEqual([10, 10, 5]);
      expect(new Set(seen).size).toBe(25);
      expect([...seen].sort()).toEqual([...created].sort());
      const once = await ok(client.post("runs/search", { experiment_ids: [busy], max_results: 100, order_by }));
      expect(once.runs.map((r: Run) => r.info.run_id)).toEqual(seen);
    }
  });
});

describe("logged models (MLflow 3)", () => {
  let exp: string;
  let runId: string;
  beforeAll(async () => {
    exp = await newExperiment();
    runId = (await newRun(exp)).info.run_id;
  });

  const create = async (body: Record<string, unknown> = {}) =>
    (await ok(client.post("logged-models", { experiment_id: exp, name: "model", source_run_id: runId, ...body }))).model;

  it("creates a PENDING model whose artifacts live under <experiment>/models/<id>/artifacts", async () => {
    const model = await create({
      model_type: "sklearn",
      params: [{ key: "alpha", value: "0.5" }],
      tags: [{ key: "mlflow.user", value: "alice" }],
    });
    const id = model.info.model_id;
    expect(id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model.info).toMatchObject({
      experiment_id: exp,
      name: "model",
      model_type: "sklearn",
      source_run_id: runId,
      status: "LOGGED_MODEL_PENDING",
      artifact_uri: `mlflow-artifacts:/${exp}/models/${id}/artifacts`,
      tags: [{ key: "mlflow.user", value: "alice" }],
    });
    expect(model.info.creation_timestamp_ms).toEqual(expect.any(Number));
    expect(model.data.params).toEqual([{ key: "alpha", value: "0.5" }]);
    expect((await ok(client.get(`logged-models/${id}`))).model).toEqual(model);
    expect(failureOf(await client.post("logged-models", { experiment_id: "987654", name: "m" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("logged-models/m-00000000000000000000000000000000"))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("finalizes a model to READY with PATCH", async () => {
    const id = (await create()).info.model_id;
    const { model } = await ok(client.patch(`logged-models/${id}`, { model_id: id, status: "LOGGED_MODEL_READY" }));
    expect(model.info.status).toBe("LOGGED_MODEL_READY");
    expect((await ok(client.get(`logged-models/${id}`))).model.info.status).toBe("LOGGED_MODEL_READY");
    expect(failureOf(await client.patch(`logged-models/${id}`, { status: "LOGGED_MODEL_SOMEWHERE" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    const failed = (await create()).info.model_id;
    expect((await ok(client.patch(`logged-models/${failed}`, { status: "LOGGED_MODEL_UPLOAD_FAILED" }))).model.info.status).toBe("LOGGED_MODEL_UPLOAD_FAILED");
  });

  it("sets tags with PATCH and deletes a tag whose key holds '/' and '.' in the URL path", async () => {
    const id = (await create()).info.model_id;
    const key = "mlflow.modelVersions/v1.json";
    expect(
      await ok(
        client.patch(`logged-models/${id}/tags`, {
          tags: [
            { key, value: "[1]" },
            { key: "plain", value: "p" },
          ],
        }),
      ),
    ).toEqual({});
    await ok(client.patch(`logged-models/${id}/tags`, { tags: [{ key: "plain", value: "q" }] }));
    const tags = async () =>
      Object.fromEntries(((await ok(client.get(`logged-models/${id}`))).model.info.tags ?? []).map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(await tags()).toEqual({ [key]: "[1]", plain: "q" });
    expect(await ok(client.delete(`logged-models/${id}/tags/${key}`))).toEqual({});
    expect(await tags()).toEqual({ plain: "q" });
    expect(failureOf(await client.delete(`logged-models/${id}/tags/${key}`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("logs params beyond the first hundred", async () => {
    const id = (await create({ params: [{ key: "a", value: "1" }] })).info.model_id;
    expect(
      await ok(
        client.post(`logged-models/${id}/params`, { model_id: id, params: Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) })) }),
      ),
    ).toEqual({});
    expect((await ok(client.get(`logged-models/${id}`))).model.data.params).toHaveLength(151);
  });

  it("searches by source_run_id, as register_model('runs:/…') does, and forgets deleted models", async () => {
    const otherRun = (await newRun(exp)).info.run_id;
    const mine = (await create({ source_run_id: otherRun, name: "mine" })).info.model_id;
    const search = async (body: Record<string, unknown>) =>
      ((await ok(client.post("logged-models/search", { experiment_ids: [exp], ...body }))).models ?? []).map((m: any) => m.info.model_id);
    expect(await search({ filter: `source_run_id = '${otherRun}'` })).toEqual([mine]);
    expect(await search({ filter: `source_run_id = '${otherRun}' AND name = 'mine'` })).toEqual([mine]);
    expect(await search({ filter: `name = 'nothing'` })).toEqual([]);
    expect(failureOf(await client.post("logged-models/search", { experiment_ids: [exp], filter: "source_run_id ==" }))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );

    expect(await ok(client.delete(`logged-models/${mine}`))).toEqual({});
    expect(failureOf(await client.get(`logged-models/${mine}`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await search({ filter: `source_run_id = '${otherRun}'` })).toEqual([]);
    expect(failureOf(await client.delete(`logged-models/${mine}`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });
});
