import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, createOwner, freshBackend, launchCairn, ROOT, withSql, type Account, type Backend, type CairnServer } from "./support/cairn";
import { metricHistory, mlflowClient, signIn, trpcClient, type MlflowClient } from "./support/http";

/**
 * Two Cairn instances on one PostgreSQL database and one artifact folder, as behind a load
 * balancer: started at the same moment on an empty database (their migrations race), then used
 * through both at once. Whatever goes in through one is read complete through the other, and a
 * promotion opened through one and approved through both applies exactly once.
 *
 * Several instances cannot share an embedded PGlite (one process owns it), so this runs only when
 * TEST_DATABASE_URL names a PostgreSQL server (CI's second pass): tests/faults/vitest.config.ts
 * leaves this file out otherwise.
 */

const slug = "scale";
let backend: Backend;
let a: CairnServer;
let b: CairnServer;
let owner: Account;
let viaA: MlflowClient;
let viaB: MlflowClient;
let experimentId: string;
const startupFailures: string[] = [];

/** The lines of a start-up failure that say what went wrong. */
function firstLines(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return text
    .split("\n")
    .filter((line) => /error|deadlock|detail|failed/i.test(line))
    .slice(0, 4)
    .join(" | ");
}

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await backend?.drop();
});

describe("two instances on one PostgreSQL database", () => {
  beforeAll(async () => {
    backend = await freshBackend("two-instances", "postgres");
    // Both servers and an operator's `cairn db migrate` race for the empty database.
    const url = (backend as { url: string }).url;
    const [first, second, migrated] = await Promise.allSettled([
      launchCairn(backend, { name: "instance-a" }),
      launchCairn(backend, { name: "instance-b" }),
      cli({ env: { ...process.env, DATABASE_URL: url } }, ["db", "migrate"]),
    ]);
    // A failed start is recorded for the first test; the instance is started again so that the
    // other claims can still be checked.
    for (const [name, outcome] of [
      ["instance a", first],
      ["instance b", second],
      ["cairn db migrate", migrated],
    ] as const) {
      if (outcome.status === "rejected") startupFailures.push(`${name}: ${firstLines(outcome.reason)}`);
    }
    a = first.status === "fulfilled" ? first.value : await launchCairn(backend, { name: "instance-a-again" });
    b = second.status === "fulfilled" ? second.value : await launchCairn(backend, { name: "instance-b-again" });
    owner = await createOwner(a, slug);
    viaA = mlflowClient(a.base, slug, owner.token);
    viaB = mlflowClient(b.base, slug, owner.token);
    experimentId = (await viaB.ok("experiments/create", { name: "scale" })).experiment_id;
  });

  it("both come up on a fresh database, and every migration is applied exactly once", async () => {
    expect(startupFailures, "instances started at the same moment on an empty database").toEqual([]);
    const journal = JSON.parse(readFileSync(path.join(ROOT, "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    const rows = await withSql(a.databaseUrl(), (sql) => sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`);
    expect(rows).toHaveLength(journal.entries.length);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(await cli(a, ["db", "status"])).toBe("up to date");
    for (const server of [a, b]) expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
  });

  it("takes batches through both at once into one run, and either gives back the complete history", async () => {
    const runId = (await viaA.ok("runs/create", { experiment_id: experimentId, run_name: "both" })).run.info.run_id;
    const writers = 6;
    const batches = 15;
    const points = 40;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const client = w % 2 ? viaB : viaA;
        for (let n = 0; n < batches; n++) {
          const seq = w * batches + n;
          const reply = await client.post("runs/log-batch", {
            run_id: runId,
            metrics: Array.from({ length: points }, (_, i) => ({
              key: "loss",
              value: seq * points + i,
              timestamp: 1_700_000_000_000 + seq,
              step: seq * points + i,
            })),
            params: [
              { key: `writer.${w}.${n}`, value: w % 2 ? "b" : "a" },
              { key: "shared", value: "same everywhere" },
            ],
            tags: [{ key: `tag.${w}`, value: String(n) }],
          });
          expect(reply.status, reply.text).toBe(200);
        }
      }),
    );
    const total = writers * batches * points;
    const [fromA, fromB] = await Promise.all([metricHistory(viaA, runId, "loss"), metricHistory(viaB, runId, "loss")]);
    expect(fromA).toHaveLength(total);
    expect(new Set(fromA.map((p) => p.step)).size).toBe(total);
    expect(fromB).toEqual(fromA);
    const [runA, runB] = await Promise.all([viaA.read("runs/get", { run_id: runId }), viaB.read("runs/get", { run_id: runId })]);
    expect(runB.run.data).toEqual(runA.run.data);
    expect(runA.run.data.params).toHaveLength(writers * batches + 1);
    expect(runA.run.data.metrics.find((m: { key: string }) => m.key === "loss")).toMatchObject({ step: total - 1, value: total - 1 });
  });

  it("serves through one instance the artifacts uploaded through the other, and deletes through either", async () => {
    const run = (await viaA.ok("runs/create", { experiment_id: experimentId })).run;
    const dir = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    const big = randomBytes(5 * 1024 * 1024);
    expect((await viaA.putArtifact(`${dir}/model/weights.bin`, big)).status).toBe(200);
    expect((await viaA.putArtifact(`${dir}/model/MLmodel`, "flavors: {}\n", "text/yaml")).status).toBe(200);
    expect((await viaB.putArtifact(`${dir}/notes.txt`, "from b", "text/plain")).status).toBe(200);

    const fromB = await viaB.getArtifact(`${dir}/model/weights.bin`);
    expect(fromB.status).toBe(200);
    expect(fromB.bytes.equals(big)).toBe(true);
    expect((await viaA.getArtifact(`${dir}/notes.txt`)).bytes.toString()).toBe("from b");
    const listed = (await viaB.listArtifacts(`${dir}/model`)).json.files.map((f: { path: string }) => f.path).sort();
    expect(listed).toEqual(["MLmodel", "weights.bin"]);
    const runFiles = (await viaB.read("artifacts/list", { run_id: run.info.run_id })).files.map((f: { path: string }) => f.path).sort();
    expect(runFiles).toEqual(["model", "notes.txt"]);

    expect((await viaB.deleteArtifact(`${dir}/model/weights.bin`)).status).toBe(200);
    expect((await viaA.getArtifact(`${dir}/model/weights.bin`)).status).toBe(404);
  });

  it("accepts a session signed in on one instance at the other (one shared signing secret)", async () => {
    const { cookies, signedIn } = await signIn(a.base, owner.email, owner.password);
    expect(signedIn).toBe(true);
    const me = await trpcClient(b.base, { cookies }).query("account.me");
    expect(me.email).toBe(owner.email);
  });

  it("applies a promotion opened through one instance and approved through both at once exactly once", async () => {
    // Two maintainers join by invitation, one through each instance.
    const ownerSession = trpcClient(a.base, { cookies: (await signIn(a.base, owner.email, owner.password)).cookies });
    const reviewers: Account[] = [];
    for (const [i, server] of [a, b].entries()) {
      const email = `maintainer${i}@scale.example`;
      const { secret } = await ownerSession.mutate("invitation.create", { projectSlug: slug, email, role: "maintainer" });
      await trpcClient(server.base, null).mutate("invitation.signUp", { secret, name: `Maintainer ${i}`, password: "maintainer-password" });
      reviewers.push({ email, password: "maintainer-password", token: "" });
    }

    const model = "scale-model";
    const runId = (await viaA.ok("runs/create", { experiment_id: experimentId })).run.info.run_id;
    await viaA.ok("registered-models/create", { name: model });
    await viaB.ok("model-versions/create", { name: model, source: `runs:/${runId}/model`, run_id: runId });
    await viaA.ok("model-versions/create", { name: model, source: `runs:/${runId}/model`, run_id: runId });
    await viaB.ok("registered-models/alias", { name: model, alias: "champion", version: "1" });
    await trpcClient(b.base, { token: owner.token }).mutate("promotion.saveRule", {
      projectSlug: slug,
      target: { kind: "alias", name: "champion" },
      requiredApprovals: 2,
    });

    const opened = await trpcClient(a.base, { token: owner.token }).mutate("promotion.request", {
      projectSlug: slug,
      modelName: model,
      version: 2,
      target: { kind: "alias", name: "champion" },
      justification: "Better on the holdout.",
    });
    // Reviews need the person at the browser: each maintainer signs in on "their" instance.
    const sessions = await Promise.all(
      reviewers.map(async (r, i) => trpcClient([a, b][i]!.base, { cookies: (await signIn([a, b][i]!.base, r.email, r.password)).cookies })),
    );
    const outcomes = await Promise.all(
      sessions.map((session) => session.mutate("promotion.review", { projectSlug: slug, number: opened.number, decision: "approve" })),
    );
    expect(outcomes.map((o: { status: string }) => o.status).sort()).toEqual(["applied", "open"]);
    for (const client of [viaA, viaB])
      expect((await client.read("registered-models/alias", { name: model, alias: "champion" })).model_version.version).toBe("2");

    const counts = await withSql(a.databaseUrl(), async (sql) => {
      const [events] =
        await sql`select count(*) filter (where e.kind = 'promotion.applied')::int as applied, count(*) filter (where e.kind = 'promotion.approved')::int as approved from registry_events e join registered_models m on m.id = e.model_id where m.name = ${model}`;
      const [audit] = await sql`select count(*)::int as n from audit_events where action = 'promotion.apply'`;
      return { applied: events!.applied, approved: events!.approved, audited: audit!.n };
    });
    expect(counts).toEqual({ applied: 1, approved: 2, audited: 1 });
    const view = await trpcClient(b.base, { token: owner.token }).query("promotion.get", { projectSlug: slug, number: opened.number });
    expect(view.request.status).toBe("applied");
  });
});
