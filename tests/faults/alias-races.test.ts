import { beforeAll, describe, expect, inject, it } from "vitest";
import { withSql } from "./support/cairn";
import { mlflowClient, trpcClient, type MlflowClient } from "./support/http";

/**
 * Aliases moved at once through the MLflow API (`POST registered-models/alias`, as
 * `MlflowClient.set_registered_model_alias` sends it): the alias ends where one of the requests put
 * it, and the model's timeline (registry_events) tells exactly the moves that happened, in order,
 * each starting where the previous one left the alias.
 */

const shared = inject("sharedServer");
let client: MlflowClient;
let runId: string;

type Event = { kind: string; target: string; from: number | null; to: number | null };

async function timeline(model: string, target: string): Promise<Event[]> {
  return withSql(shared.databaseUrl, async (sql) => {
    const rows = await sql`
      select e.kind, e.target, e.from_version, e.to_version
      from registry_events e
      join registered_models m on m.id = e.model_id
      join projects p on p.id = m.project_id
      where p.slug = ${shared.slug} and m.name = ${model} and e.target = ${target} and e.kind like 'alias.%'
      order by e.id`;
    return rows.map((r) => ({ kind: r.kind as string, target: r.target as string, from: r.from_version as number | null, to: r.to_version as number | null }));
  });
}

async function modelWithVersions(name: string, count: number) {
  await client.ok("registered-models/create", { name });
  for (let i = 0; i < count; i++) await client.ok("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
}

async function holder(model: string, alias: string): Promise<number | null> {
  const r = await client.get("registered-models/alias", { name: model, alias });
  if (r.status === 400 && r.json?.error_code === "INVALID_PARAMETER_VALUE") return null;
  expect(r.status, r.text).toBe(200);
  return Number(r.json.model_version.version);
}

/** The events form one chain from `start` to the alias's final holder, one link per move. */
function expectChain(events: Event[], start: number | null, end: number | null) {
  let at = start;
  for (const e of events) {
    expect({ from: e.from, kind: e.kind }, `timeline ${JSON.stringify(events)}`).toEqual({ from: at, kind: e.to === null ? "alias.removed" : "alias.set" });
    expect(e.to).not.toBe(e.from);
    at = e.to;
  }
  expect(at, `timeline ${JSON.stringify(events)} ends where the alias is`).toBe(end);
}

beforeAll(async () => {
  client = mlflowClient(shared.base, shared.slug, shared.owner.token);
  const experimentId = (await client.ok("experiments/create", { name: `alias-races-${Date.now()}` })).experiment_id;
  runId = (await client.ok("runs/create", { experiment_id: experimentId })).run.info.run_id;
});

describe("one alias moved by concurrent requests", () => {
  it("records the first assignment and every later move as one chain when the alias did not exist yet", async () => {
    const model = `race-new-${Date.now()}`;
    await modelWithVersions(model, 4);
    const replies = await Promise.all(
      [1, 2, 3, 4].map((version) => client.post("registered-models/alias", { name: model, alias: "champion", version: String(version) })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = await holder(model, "champion");
    expect([1, 2, 3, 4]).toContain(final);
    const events = await timeline(model, "champion");
    // Four requests, each to a different version: four moves.
    expect(events).toHaveLength(4);
    expectChain(events, null, final);
    // Rolling back reads the timeline: it must find the version that held the alias before.
    const rollback = await trpcClient(shared.base, { token: shared.owner.token }).mutateRaw("promotion.rollback", {
      projectSlug: shared.slug,
      modelName: model,
      target: { kind: "alias", name: "champion" },
    });
    expect(rollback.status, rollback.text).toBe(200);
    const back = rollback.json.result.data.json as { from: number; to: number };
    expect(back.from).toBe(final);
    expect(back.to).not.toBe(final);
    expect(await holder(model, "champion")).toBe(back.to);
  });

  it("records every move as one chain when an existing alias is moved by many requests at once", async () => {
    const model = `race-move-${Date.now()}`;
    await modelWithVersions(model, 5);
    await client.ok("registered-models/alias", { name: model, alias: "prod", version: "5" });
    for (let round = 0; round < 5; round++) {
      const replies = await Promise.all(
        [1, 2, 3, 4].map((version) => client.post("registered-models/alias", { name: model, alias: "prod", version: String(version) })),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    }
    const final = await holder(model, "prod");
    const events = await timeline(model, "prod");
    expectChain(events, null, final);
    // The first assignment, then each request that found another version there moved it.
    expect(events.length).toBeGreaterThanOrEqual(5);
  });

  it("keeps the chain when moves race a delete of the alias", async () => {
    const model = `race-delete-${Date.now()}`;
    await modelWithVersions(model, 3);
    await client.ok("registered-models/alias", { name: model, alias: "staging", version: "1" });
    for (let round = 0; round < 4; round++) {
      const replies = await Promise.all([
        client.post("registered-models/alias", { name: model, alias: "staging", version: "2" }),
        client.delete("registered-models/alias", { name: model, alias: "staging" }),
        client.post("registered-models/alias", { name: model, alias: "staging", version: "3" }),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    }
    const final = await holder(model, "staging");
    expectChain(await timeline(model, "staging"), null, final);
  });
});

describe("one stage taken by concurrent transitions", () => {
  it("leaves exactly one version in Production when every transition archives the existing ones", async () => {
    const model = `race-stage-${Date.now()}`;
    await modelWithVersions(model, 4);
    const replies = await Promise.all(
      [1, 2, 3, 4].map((version) =>
        client.post("model-versions/transition-stage", { name: model, version: String(version), stage: "Production", archive_existing_versions: true }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const versions = (await client.read("model-versions/search", { filter: `name = '${model}'` })).model_versions as {
      version: string;
      current_stage: string;
    }[];
    const production = versions.filter((v) => v.current_stage === "Production").map((v) => v.version);
    expect(production, JSON.stringify(versions.map((v) => [v.version, v.current_stage]))).toHaveLength(1);
    expect(versions.filter((v) => v.current_stage === "Archived")).toHaveLength(3);
    const latest = (await client.read("registered-models/get-latest-versions", { name: model, stages: ["Production"] })).model_versions;
    expect(latest.map((v: { version: string }) => v.version)).toEqual(production);
  });
});

describe("different aliases moved at once", () => {
  it("moves each alias to its own version and records one event each", async () => {
    const model = `race-many-${Date.now()}`;
    await modelWithVersions(model, 6);
    const wanted = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } as Record<string, number>;
    const replies = await Promise.all(
      Object.entries(wanted).map(([alias, version]) => client.post("registered-models/alias", { name: model, alias, version: String(version) })),
    );
    expect(replies.map((r) => r.status)).toEqual(Object.keys(wanted).map(() => 200));
    const view = (await client.read("registered-models/get", { name: model })).registered_model;
    const aliases = Object.fromEntries(view.aliases.map((a: { alias: string; version: string }) => [a.alias, Number(a.version)]));
    expect(aliases).toEqual(wanted);
    for (const [alias, version] of Object.entries(wanted)) {
      expect(await timeline(model, alias)).toEqual([{ kind: "alias.set", target: alias, from: null, to: version }]);
    }
    // Versions list the aliases they hold.
    const v3 = (await client.read("model-versions/get", { name: model, version: "3" })).model_version;
    expect(v3.aliases).toEqual(["c"]);
  });

  it("swaps two aliases between two versions at once without losing either", async () => {
    const model = `race-swap-${Date.now()}`;
    await modelWithVersions(model, 2);
    await client.ok("registered-models/alias", { name: model, alias: "blue", version: "1" });
    await client.ok("registered-models/alias", { name: model, alias: "green", version: "2" });
    const replies = await Promise.all([
      client.post("registered-models/alias", { name: model, alias: "blue", version: "2" }),
      client.post("registered-models/alias", { name: model, alias: "green", version: "1" }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect([await holder(model, "blue"), await holder(model, "green")]).toEqual([2, 1]);
    expect(await timeline(model, "blue")).toEqual([
      { kind: "alias.set", target: "blue", from: null, to: 1 },
      { kind: "alias.set", target: "blue", from: 1, to: 2 },
    ]);
    expect(await timeline(model, "green")).toEqual([
      { kind: "alias.set", target: "green", from: null, to: 2 },
      { kind: "alias.set", target: "green", from: 2, to: 1 },
    ]);
  });
});
