import { failureOf, mlflow, mlflowError, type MlflowClient } from "../support/mlflow-client";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, makeUser, tokenActorOf, unique } from "../support/factories";

/**
 * The MLflow model registry REST API (registered models, versions, stages, aliases) as the Python
 * client calls it, through Cairn's handler and a real database.
 */

let client: MlflowClient;
let experimentId: string;
let run: { run_id: string; artifact_uri: string };

beforeAll(async () => {
  const owner = await makeUser();
  const project = await makeProject(owner);
  client = mlflow(project.slug, (await tokenActorOf(owner)).secret);
  experimentId = (await ok(client.post("experiments/create", { name: unique("exp") }))).experiment_id;
  run = (await ok(client.post("runs/create", { experiment_id: experimentId, start_time: Date.now() }))).run.info;
});

async function ok(reply: Promise<{ status: number; text: string; json: any }>) {
  const r = await reply;
  expect(r.status, r.text).toBe(200);
  return r.json;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function newModel(name = unique("model"), body: Record<string, unknown> = {}) {
  return (await ok(client.post("registered-models/create", { name, ...body }))).registered_model;
}

async function newVersion(name: string, body: Record<string, unknown> = {}) {
  return (await ok(client.post("model-versions/create", { name, source: `${run.artifact_uri}/model`, run_id: run.run_id, ...body }))).model_version;
}

const getVersion = async (name: string, version: string) => (await ok(client.get("model-versions/get", { name, version }))).model_version;
const getModel = async (name: string) => (await ok(client.get("registered-models/get", { name }))).registered_model;

describe("registered models", () => {
  it("creates a model with tags and description, and refuses a duplicate with 400 RESOURCE_ALREADY_EXISTS", async () => {
    const name = unique("model");
    const model = await newModel(name, { description: "first", tags: [{ key: "team", value: "vision" }] });
    expect(model).toMatchObject({ name, description: "first", tags: [{ key: "team", value: "vision" }] });
    expect(model.creation_timestamp).toEqual(expect.any(Number));
    expect(model.last_updated_timestamp).toEqual(expect.any(Number));
    expect(await getModel(name)).toMatchObject({ name, description: "first" });

    // register_model() catches exactly this and goes on to create a version.
    expect(failureOf(await client.post("registered-models/create", { name }))).toEqual(mlflowError(400, "RESOURCE_ALREADY_EXISTS", new RegExp(name)));
    expect(failureOf(await client.post("registered-models/create", { name: "" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.post("registered-models/create", {}))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.get("registered-models/get", { name: unique("missing") }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("renames a model with its versions; refuses a taken name and an unknown model", async () => {
    const name = unique("model");
    await newModel(name);
    await newVersion(name);
    const renamed = unique("renamed");
    const reply = await ok(client.post("registered-models/rename", { name, new_name: renamed }));
    expect(reply.registered_model.name).toBe(renamed);
    expect(failureOf(await client.get("registered-models/get", { name }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await getVersion(renamed, "1")).name).toBe(renamed);

    const taken = (await newModel()).name;
    expect(failureOf(await client.post("registered-models/rename", { name: renamed, new_name: taken }))).toEqual(mlflowError(400, "RESOURCE_ALREADY_EXISTS"));
    expect(failureOf(await client.post("registered-models/rename", { name: unique("missing"), new_name: unique("x") }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("updates the description with PATCH", async () => {
    const name = (await newModel()).name;
    const reply = await ok(client.patch("registered-models/update", { name, description: "better" }));
    expect(reply.registered_model).toMatchObject({ name, description: "better" });
    expect((await getModel(name)).description).toBe("better");
    expect(failureOf(await client.patch("registered-models/update", { name: unique("missing"), description: "x" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("deletes a model and its versions with DELETE and a JSON body", async () => {
    const name = (await newModel()).name;
    await newVersion(name);
    expect(await ok(client.delete("registered-models/delete", { name }))).toEqual({});
    expect(failureOf(await client.get("registered-models/get", { name }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("model-versions/get", { name, version: "1" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.delete("registered-models/delete", { name }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("sets and deletes registered-model tags", async () => {
    const name = (await newModel()).name;
    expect(await ok(client.post("registered-models/set-tag", { name, key: "owner", value: "a" }))).toEqual({});
    await ok(client.post("registered-models/set-tag", { name, key: "owner", value: "b" }));
    expect((await getModel(name)).tags).toEqual([{ key: "owner", value: "b" }]);
    expect(await ok(client.delete("registered-models/delete-tag", { name, key: "owner" }))).toEqual({});
    expect((await getModel(name)).tags ?? []).toEqual([]);
    expect(failureOf(await client.post("registered-models/set-tag", { name: unique("missing"), key: "k", value: "v" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.delete("registered-models/delete-tag", { name: unique("missing"), key: "k" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("deletes a tag the model does not have as a no-op, as MLflow's store does", async () => {
    // SqlAlchemyStore.delete_registered_model_tag checks the model, then deletes the tag only if it exists.
    const name = (await newModel()).name;
    const reply = await client.delete("registered-models/delete-tag", { name, key: "never-set" });
    expect({ status: reply.status, text: reply.text }).toEqual({ status: 200, text: "{}" });
  });

  describe("search", () => {
    const prefix = unique("rm");
    const created: string[] = [];

    beforeAll(async () => {
      for (const [suffix, prompt] of [
        ["a", null],
        ["b", "true"],
        ["c", "false"],
        ["d", null],
        ["e", null],
      ] as const) {
        const name = `${prefix}-${suffix}`;
        await newModel(name, {
          tags: prompt
            ? [
                { key: "mlflow.prompt.is_prompt", value: prompt },
                { key: "kind", value: "prompt" },
              ]
            : [{ key: "kind", value: "model" }],
        });
        created.push(name);
        await sleep(3);
      }
      // Touch "a" last, so it is the most recently updated.
      await ok(client.patch("registered-models/update", { name: `${prefix}-a`, description: "touched" }));
    });

    const names = (reply: { registered_models?: { name: string }[] }) => (reply.registered_models ?? []).map((m) => m.name.slice(prefix.length + 1));
    const prompts = "tag.`mlflow.prompt.is_prompt` != 'true'";

    it("keeps models without the prompt tag when MLflow 3 adds its prompt filter", async () => {
      const reply = await ok(client.get("registered-models/search", { filter: `name LIKE '${prefix}-%' AND ${prompts}`, max_results: 100 }));
      expect(names(reply)).toEqual(["a", "c", "d", "e"]);
      const only = await ok(client.get("registered-models/search", { filter: prompts, max_results: 1000 }));
      expect(only.registered_models.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(created.filter((n) => !n.endsWith("-b"))));
      expect(only.registered_models.map((m: { name: string }) => m.name)).not.toContain(`${prefix}-b`);
    });

    it.each([
      [`name = 'PREFIX-c'`, ["c"]],
      [`name != 'PREFIX-c' AND name LIKE 'PREFIX-%'`, ["a", "b", "d", "e"]],
      [`name ILIKE 'PREFIX-A'`, ["a"]],
      [`name LIKE 'PREFIX-%' AND tags.kind = 'prompt'`, ["b", "c"]],
      // For any other tag a model without it does not match, as in run search.
      [`name LIKE 'PREFIX-%' AND tags.\`mlflow.prompt.is_prompt\` = 'false'`, ["c"]],
      [`name LIKE 'PREFIX-%' AND tags.kind != 'prompt'`, ["a", "d", "e"]],
    ])("filters with %s", async (filter, expected) => {
      const reply = await ok(client.get("registered-models/search", { filter: filter.replaceAll("PREFIX", prefix) }));
      expect(names(reply)).toEqual(expected);
    });

    it("orders by name, timestamps, and pages with page_token", async () => {
      const filter = `name LIKE '${prefix}-%'`;
      expect(names(await ok(client.get("registered-models/search", { filter })))).toEqual(["a", "b", "c", "d", "e"]);
      expect(names(await ok(client.get("registered-models/search", { filter, order_by: ["name DESC"] })))).toEqual(["e", "d", "c", "b", "a"]);
      expect(names(await ok(client.get("registered-models/search", { filter, order_by: ["timestamp DESC"] })))).toEqual(["a", "e", "d", "c", "b"]);
      expect(names(await ok(client.post("registered-models/search", { filter, order_by: ["last_updated_timestamp ASC"] })))).toEqual(["b", "c", "d", "e", "a"]);
      expect(names(await ok(client.post("registered-models/search", { filter, order_by: ["creation_timestamp DESC"] })))).toEqual(["e", "d", "c", "b", "a"]);

      const seen: string[] = [];
      let page_token: string | undefined;
      let pages = 0;
      do {
        const page = await ok(client.get("registered-models/search", { filter, max_results: 2, page_token }));
        expect(page.registered_models.length).toBeLessThanOrEqual(2);
        seen.push(...names(page));
        page_token = page.next_page_token;
        pages++;
      } while (page_token && pages < 10);
      expect(seen).toEqual(["a", "b", "c", "d", "e"]);

      for (const bad of [{ max_results: 1001 }, { max_results: 0 }, { filter: "metrics.x > 1" }, { order_by: ["nonsense DESC"] }, { filter: "name = " }]) {
        expect(failureOf(await client.get("registered-models/search", bad)), JSON.stringify(bad)).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
      }
    });
  });
});

describe("model versions", () => {
  it("registers a concrete mlflow-artifacts source as version 1, READY, stage None", async () => {
    const name = (await newModel()).name;
    const source = `${run.artifact_uri}/model`;
    const version = await newVersion(name, { source, description: "v1", tags: [{ key: "k", value: "v" }], run_link: "http://x" });
    expect(version).toMatchObject({
      name,
      version: "1",
      source,
      run_id: run.run_id,
      status: "READY",
      current_stage: "None",
      description: "v1",
      tags: [{ key: "k", value: "v" }],
    });
    expect(await getVersion(name, "1")).toMatchObject({ version: "1", status: "READY" });
    expect(await ok(client.get("model-versions/get-download-uri", { name, version: "1" }))).toEqual({ artifact_uri: source });
    expect(failureOf(await client.post("model-versions/create", { name: unique("missing"), source }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.post("model-versions/create", { name }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("resolves a runs:/ source to the run's artifact path and fills run_id", async () => {
    const name = (await newModel()).name;
    const version = await newVersion(name, { source: `runs:/${run.run_id}/model`, run_id: undefined });
    expect(version).toMatchObject({ source: `runs:/${run.run_id}/model`, run_id: run.run_id, status: "READY" });
    expect(await ok(client.get("model-versions/get-download-uri", { name, version: version.version }))).toEqual({ artifact_uri: `${run.artifact_uri}/model` });
    expect(failureOf(await client.post("model-versions/create", { name, source: "runs:/0123456789abcdef0123456789abcdef/model" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("registers an MLflow 3 models:/<model_id> source: download URI is the logged model's, run_id comes from it", async () => {
    const { model } = await ok(client.post("logged-models", { experiment_id: experimentId, name: "model", source_run_id: run.run_id }));
    const modelId = model.info.model_id;
    const name = (await newModel()).name;
    const version = (await ok(client.post("model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId }))).model_version;
    expect(version).toMatchObject({ source: `models:/${modelId}`, run_id: run.run_id, model_id: modelId, status: "READY" });
    expect(await ok(client.get("model-versions/get-download-uri", { name, version: version.version }))).toEqual({ artifact_uri: model.info.artifact_uri });
    expect(model.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`);
    // The logged model lists its registration.
    const registered = (await ok(client.get(`logged-models/${modelId}`))).model.info.registrations;
    expect(registered).toEqual([{ name, version: version.version }]);
  });

  it("never reuses a version number, even after deleting the newest", async () => {
    const name = (await newModel()).name;
    for (const expected of ["1", "2", "3"]) expect((await newVersion(name)).version).toBe(expected);
    expect(await ok(client.delete("model-versions/delete", { name, version: "3" }))).toEqual({});
    expect(failureOf(await client.get("model-versions/get", { name, version: "3" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await newVersion(name)).version).toBe("4");
    await ok(client.delete("model-versions/delete", { name, version: "1" }));
    expect((await newVersion(name)).version).toBe("5");
    expect(failureOf(await client.delete("model-versions/delete", { name, version: "1" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("gives concurrent registrations of one model distinct version numbers", async () => {
    const name = (await newModel()).name;
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => client.post("model-versions/create", { name, source: `${run.artifact_uri}/model`, run_id: run.run_id })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.map((r) => r.json.model_version.version).sort()).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("answers get and get-download-uri for unknown versions with 404, and malformed versions with 400", async () => {
    const name = (await newModel()).name;
    await newVersion(name);
    expect(failureOf(await client.get("model-versions/get", { name, version: "2" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("model-versions/get", { name: unique("missing"), version: "1" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("model-versions/get-download-uri", { name, version: "7" }))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await client.get("model-versions/get", { name, version: "one" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
  });

  it("updates a version's description with PATCH, and sets and deletes its tags", async () => {
    const name = (await newModel()).name;
    await newVersion(name);
    expect((await ok(client.patch("model-versions/update", { name, version: "1", description: "better" }))).model_version.description).toBe("better");
    expect((await getVersion(name, "1")).description).toBe("better");
    expect(await ok(client.post("model-versions/set-tag", { name, version: "1", key: "validated", value: "yes" }))).toEqual({});
    expect((await getVersion(name, "1")).tags).toEqual([{ key: "validated", value: "yes" }]);
    expect(await ok(client.delete("model-versions/delete-tag", { name, version: "1", key: "validated" }))).toEqual({});
    expect((await getVersion(name, "1")).tags ?? []).toEqual([]);
    expect(failureOf(await client.delete("model-versions/delete-tag", { name, version: "9", key: "validated" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.patch("model-versions/update", { name, version: "9", description: "x" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("deletes a tag the version does not have as a no-op, as MLflow's store does", async () => {
    // SqlAlchemyStore.delete_model_version_tag checks the version, then deletes the tag only if it exists.
    const name = (await newModel()).name;
    await newVersion(name);
    const reply = await client.delete("model-versions/delete-tag", { name, version: "1", key: "never-set" });
    expect({ status: reply.status, text: reply.text }).toEqual({ status: 200, text: "{}" });
  });

  it("transitions stages case-insensitively and archives the previous Production when asked", async () => {
    const name = (await newModel()).name;
    for (let i = 0; i < 3; i++) await newVersion(name);
    const transition = (version: string, stage: string, archive = false) =>
      client.post("model-versions/transition-stage", { name, version, stage, archive_existing_versions: archive });

    expect((await ok(transition("1", "production"))).model_version.current_stage).toBe("Production");
    expect((await ok(transition("2", "STAGING"))).model_version.current_stage).toBe("Staging");
    expect((await ok(transition("3", "Production", true))).model_version.current_stage).toBe("Production");
    expect((await getVersion(name, "1")).current_stage).toBe("Archived");
    expect((await getVersion(name, "2")).current_stage).toBe("Staging");

    const latest = (await getModel(name)).latest_versions.map((v: { version: string; current_stage: string }) => [v.current_stage, v.version]);
    expect(Object.fromEntries(latest)).toEqual({ Archived: "1", Staging: "2", Production: "3" });

    expect(failureOf(await transition("2", "None", true))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await transition("2", "Archived", true))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await transition("2", "Live"))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await transition("9", "Staging"))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await ok(transition("2", "none"))).model_version.current_stage).toBe("None");
  });

  it("answers get-latest-versions by POST and by GET with repeated stages", async () => {
    const name = (await newModel()).name;
    for (let i = 0; i < 4; i++) await newVersion(name);
    await ok(client.post("model-versions/transition-stage", { name, version: "1", stage: "Production", archive_existing_versions: false }));
    await ok(client.post("model-versions/transition-stage", { name, version: "2", stage: "Production", archive_existing_versions: false }));
    await ok(client.post("model-versions/transition-stage", { name, version: "3", stage: "Staging", archive_existing_versions: false }));
    const pairs = (reply: { model_versions?: { version: string; current_stage: string }[] }) =>
      (reply.model_versions ?? []).map((v) => `${v.current_stage}:${v.version}`).sort();

    expect(pairs(await ok(client.post("registered-models/get-latest-versions", { name, stages: ["Production"] })))).toEqual(["Production:2"]);
    expect(pairs(await ok(client.post("registered-models/get-latest-versions", { name })))).toEqual(["None:4", "Production:2", "Staging:3"]);
    expect(pairs(await ok(client.get("registered-models/get-latest-versions", { name, stages: ["Production", "staging"] })))).toEqual([
      "Production:2",
      "Staging:3",
    ]);
    expect(pairs(await ok(client.get("registered-models/get-latest-versions", { name, stages: ["None"] })))).toEqual(["None:4"]);
    expect(pairs(await ok(client.get("registered-models/get-latest-versions", { name, stages: ["Archived"] })))).toEqual([]);
    expect((await ok(client.get("registered-models/get-latest-versions", { name, stages: ["Staging"] }))).model_versions[0].status).toBe("READY");
    expect(failureOf(await client.post("registered-models/get-latest-versions", { name: unique("missing") }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it("sets, moves, reads and deletes aliases; an unknown alias is 400 INVALID_PARAMETER_VALUE", async () => {
    const name = (await newModel()).name;
    for (let i = 0; i < 2; i++) await newVersion(name);
    expect(await ok(client.post("registered-models/alias", { name, alias: "champion", version: "1" }))).toEqual({});
    expect((await ok(client.get("registered-models/alias", { name, alias: "champion" }))).model_version).toMatchObject({
      version: "1",
      aliases: ["champion"],
      status: "READY",
    });
    await ok(client.post("registered-models/alias", { name, alias: "champion", version: "2" }));
    expect((await ok(client.get("registered-models/alias", { name, alias: "champion" }))).model_version.version).toBe("2");
    expect((await getVersion(name, "1")).aliases ?? []).toEqual([]);
    expect((await getModel(name)).aliases).toEqual([{ alias: "champion", version: "2" }]);

    expect(await ok(client.delete("registered-models/alias", { name, alias: "champion" }))).toEqual({});
    expect(failureOf(await client.get("registered-models/alias", { name, alias: "champion" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.get("registered-models/alias", { name, alias: "never-set" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect(failureOf(await client.post("registered-models/alias", { name, alias: "champion", version: "9" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
    expect(failureOf(await client.post("registered-models/alias", { name: unique("missing"), alias: "champion", version: "1" }))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });

  it.each(["latest", "LATEST", "v3", "V12", "a b", "", "x".repeat(256)])("refuses the alias name %j", async (alias) => {
    const name = (await newModel()).name;
    await newVersion(name);
    expect(failureOf(await client.post("registered-models/alias", { name, alias, version: "1" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect((await getModel(name)).aliases ?? []).toEqual([]);
  });

  it("releases a version's aliases when the version is deleted", async () => {
    const name = (await newModel()).name;
    for (let i = 0; i < 2; i++) await newVersion(name);
    await ok(client.post("registered-models/alias", { name, alias: "champion", version: "2" }));
    await ok(client.post("registered-models/alias", { name, alias: "stable", version: "1" }));
    await ok(client.delete("model-versions/delete", { name, version: "2" }));
    expect(failureOf(await client.get("registered-models/alias", { name, alias: "champion" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    expect((await getModel(name)).aliases).toEqual([{ alias: "stable", version: "1" }]);
  });

  describe("search", () => {
    let a: string;
    let b: string;
    let otherRun: string;

    beforeAll(async () => {
      otherRun = (await ok(client.post("runs/create", { experiment_id: experimentId, start_time: Date.now() }))).run.info.run_id;
      a = (await newModel(unique("mva"))).name;
      b = (await newModel(unique("mvb"))).name;
      await newVersion(a); // a/1 from run
      await newVersion(a, { run_id: otherRun, source: `runs:/${otherRun}/model`, tags: [{ key: "gate", value: "passed" }] }); // a/2
      await newVersion(a, { tags: [{ key: "gate", value: "failed" }] }); // a/3
      await newVersion(b, { run_id: otherRun, source: "s3://bucket/models/b" }); // b/1
    });

    const versions = (reply: { model_versions?: { name: string; version: string }[] }) =>
      (reply.model_versions ?? []).map((v) => `${v.name === a ? "a" : v.name === b ? "b" : v.name}/${v.version}`);

    it.each([
      ["name = 'A'", ["a/3", "a/2", "a/1"]],
      ["name = 'A' AND version_number >= 2", ["a/3", "a/2"]],
      ["name = 'A' AND version_number = 1", ["a/1"]],
      ["run_id IN ('OTHER', 'nope')", ["b/1", "a/2"]],
      ["run_id = 'OTHER' AND name = 'B'", ["b/1"]],
      ["name = 'A' AND tags.gate = 'passed'", ["a/2"]],
      ["name = 'A' AND tags.gate != 'passed'", ["a/3"]],
      ["name LIKE 'A' AND source_path LIKE 'runs:/%'", ["a/2"]],
      ["(name = 'A' OR name = 'B') AND source_path LIKE 's3://%'", ["b/1"]],
    ])("filters with %s", async (filter, expected) => {
      const resolved = filter.replaceAll("'A'", `'${a}'`).replaceAll("'B'", `'${b}'`).replaceAll("OTHER", otherRun);
      const reply = await ok(client.get("model-versions/search", { filter: resolved, max_results: 10_000 }));
      expect(versions(reply).sort()).toEqual([...expected].sort());
    });

    it("orders newest change first by default, honours order_by, and pages", async () => {
      const filter = `name = '${a}' OR name = '${b}'`;
      expect(versions(await ok(client.get("model-versions/search", { filter })))).toEqual(["b/1", "a/3", "a/2", "a/1"]);
      expect(versions(await ok(client.get("model-versions/search", { filter, order_by: ["name ASC", "version_number ASC"] })))).toEqual([
        "a/1",
        "a/2",
        "a/3",
        "b/1",
      ]);
      expect(versions(await ok(client.post("model-versions/search", { filter, order_by: ["version_number DESC", "name DESC"] })))).toEqual([
        "a/3",
        "a/2",
        "b/1",
        "a/1",
      ]);
      const seen: string[] = [];
      let page_token: string | undefined;
      let pages = 0;
      do {
        const page = await ok(client.get("model-versions/search", { filter, max_results: 3, page_token }));
        expect(page.model_versions.length).toBeLessThanOrEqual(3);
        seen.push(...versions(page));
        page_token = page.next_page_token;
        pages++;
      } while (page_token && pages < 10);
      expect(seen).toEqual(["b/1", "a/3", "a/2", "a/1"]);
      expect(failureOf(await client.get("model-versions/search", { filter: "stage = 'x'" }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
      expect(failureOf(await client.get("model-versions/search", { max_results: 200_001 }))).toEqual(mlflowError(400, "INVALID_PARAMETER_VALUE"));
    });
  });
});
