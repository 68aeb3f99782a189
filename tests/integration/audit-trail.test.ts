import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as instanceExport } from "../../app/(app)/admin/audit/export/route";
import { GET as projectExport } from "../../app/(app)/p/[slug]/settings/audit/export/route";
import { authorizeProject } from "../../server/access/authorize";
import { main } from "../../server/cli/main";
import { createServiceContext, inTransaction, type ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, registryEvents } from "../../server/db/schema";
import { recordAudit } from "../../server/services/audit";
import { asStoredJson } from "../../server/services/audit-trail/canonical-json";
import { chainLegacyRows, recordOf } from "../../server/services/audit-trail/chain-store";
import { exportInstanceTrail } from "../../server/services/audit-trail/export";
import { hashRecord } from "../../server/services/audit-trail/records";
import { verifyStoredTrail, verifyTrailFile, type ChainReport } from "../../server/services/audit-trail/verify";
import { createRegisteredModel, deleteRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { issueToken } from "../../server/services/tokens";
import { addMember, callerFor, makeProject, makeUser, sessionOf, system, tokenActorOf, unique } from "../support/factories";

const db = () => getDb();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ownedProject() {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "model.write");
  return { owner, project, ctx };
}

/** A model with two versions and an alias move: registry rows in the project's chain. */
async function registryActivity(ctx: ProjectContext, name = unique("model")) {
  await createRegisteredModel({ ctx, input: { name } });
  await createModelVersion({ ctx, input: { name, source: "s3://bucket/model/1" } });
  await createModelVersion({ ctx, input: { name, source: "s3://bucket/model/2" } });
  await setAlias({ ctx, input: { name, alias: "champion", version: 1 } });
  await setAlias({ ctx, input: { name, alias: "champion", version: 2 } });
  return name;
}

const brokenOf = (reports: ChainReport[]) => reports.filter((r) => r.broken).map((r) => ({ log: r.log, ...r.broken! }));

async function auditRows(projectId: string) {
  return db().select().from(auditEvents).where(eq(auditEvents.projectId, projectId)).orderBy(asc(auditEvents.seq));
}

async function cli(args: string[], cwd = process.cwd()) {
  const lines: string[] = [];
  const code = await main(
    ["node", "cairn", ...args],
    (l) => lines.push(l),
    (l) => lines.push(l),
    cwd,
  );
  return { code, output: lines.join("\n") };
}

async function exportedBy(secret: string, slug: string) {
  return projectExport(new Request(`http://cairn.test/p/${slug}/settings/audit/export`, { headers: { authorization: `Bearer ${secret}` } }), {
    params: Promise.resolve({ slug }),
  });
}

const linesOf = (text: string) => Readable.from(text.split("\n"));

describe("the hash chain", () => {
  it("chains a project's audit rows and registry timeline, one sequence each from the genesis hash", async () => {
    const { owner, project, ctx } = await ownedProject();
    await callerFor(sessionOf(owner)).project.update({ projectSlug: project.slug, name: "Renamed", description: "chained" });
    await registryActivity(ctx);

    const audit = await auditRows(project.id);
    expect(audit.map((r) => r.action)).toEqual(["project.create", "project.update"]);
    expect(audit.map((r) => r.seq)).toEqual([1, 2]);
    expect(audit[0]!.prevHash).toBe("0".repeat(64));
    expect(audit[1]!.prevHash).toBe(audit[0]!.hash);
    const timeline = await db().select().from(registryEvents).where(eq(registryEvents.projectId, project.id)).orderBy(asc(registryEvents.seq));
    expect(timeline.map((r) => [r.seq, r.kind])).toEqual([
      [1, "model.created"],
      [2, "version.registered"],
      [3, "version.registered"],
      [4, "alias.set"],
      [5, "alias.set"],
    ]);
    for (const [i, row] of timeline.entries()) {
      expect(row.prevHash).toBe(i === 0 ? "0".repeat(64) : timeline[i - 1]!.hash);
    }

    const reports = await verifyStoredTrail(db(), { projectSlug: project.slug });
    expect(reports.map((r) => [r.log, r.label, r.rows, r.broken])).toEqual([
      ["audit", project.slug, 2, null],
      ["registry", project.slug, 5, null],
    ]);
    expect(reports[1]!.head).toEqual({ seq: 5, hash: timeline[4]!.hash });
  });

  it("hashes what it reads back exactly as what it wrote: nested JSON, unicode, numbers, dates", async () => {
    const { project } = await ownedProject();
    const after = {
      z: { b: [1.0, -0, 1e21, 1e-7, 0.1 + 0.2, 2 ** 53 - 1, 5e-324, -1.5e300], a: true },
      ünïcödé: 'emoji 🦀, combining é, separator \u2028, controls \u0001\t\n, quote " and backslash \\',
      "": "empty key",
      "10": "ten",
      "9": "nine",
      at: new Date("2026-03-04T05:06:07.089Z"),
      dropped: undefined,
      nested: [{ y: null, x: [[]], w: {} }],
    };
    await inTransaction(system(), (tx) =>
      recordAudit(tx, { project, action: "test.values", target: { type: "test", id: "é/1" }, before: "plain string", after }),
    );

    const [row] = (await auditRows(project.id)).filter((r) => r.action === "test.values");
    expect(row!.after).toEqual(asStoredJson(after));
    expect(hashRecord(recordOf("audit", row!, row!.seq!, row!.prevHash!))).toBe(row!.hash);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([]);
  });

  it("keeps a deleted model's timeline, so the project's chain still verifies", async () => {
    const { project, ctx } = await ownedProject();
    const name = await registryActivity(ctx);
    await deleteRegisteredModel({ ctx: await authorizeProject(ctx, project.slug, "model.delete"), input: { name } });
    const reports = await verifyStoredTrail(db(), { projectSlug: project.slug });
    expect(brokenOf(reports)).toEqual([]);
    expect(reports.find((r) => r.log === "registry")!.rows).toBe(5);
  });

  it("drops the rows of a savepoint that rolled back, and keeps the rest in order", async () => {
    const { project } = await ownedProject();
    await inTransaction(system(), async (tx) => {
      await recordAudit(tx, { project, action: "test.kept", target: { type: "test", id: "1" } });
      await inTransaction(tx, async (inner) => {
        await recordAudit(inner, { project, action: "test.dropped", target: { type: "test", id: "2" } });
        throw new Error("rolled back");
      }).catch(() => {});
      await recordAudit(tx, { project, action: "test.after", target: { type: "test", id: "3" } });
    });
    expect((await auditRows(project.id)).map((r) => [r.seq, r.action])).toEqual([
      [1, "project.create"],
      [2, "test.kept"],
      [3, "test.after"],
    ]);
  });
});

describe("tampering", () => {
  it("names the row whose content was changed", async () => {
    const { project } = await ownedProject();
    await inTransaction(system(), async (tx) => {
      for (let i = 1; i <= 3; i++) await recordAudit(tx, { project, action: "test.step", target: { type: "test", id: String(i) }, after: { step: i } });
    });
    const target = (await auditRows(project.id))[2]!;
    await db().execute(sql`update audit_events set after = jsonb_set(after, '{step}', '20') where id = ${target.id}`);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([
      { log: "audit", row: `row id ${target.id} (seq 3)`, message: expect.stringContaining("its content does not match its hash") },
    ]);

    const { code, output } = await cli(["audit", "verify", "--project", project.slug]);
    expect(code).toBe(1);
    expect(output).toContain(`BROKEN  audit log, ${project.slug}: row id ${target.id} (seq 3): its content does not match its hash`);
    expect(output).toContain(`ok      registry timeline, ${project.slug}: 0 row(s)`);
  });

  it("names the row after a deleted one, and the first of two swapped rows", async () => {
    const { project, ctx } = await ownedProject();
    await registryActivity(ctx);
    const timeline = await db().select().from(registryEvents).where(eq(registryEvents.projectId, project.id)).orderBy(asc(registryEvents.seq));
    await db().execute(sql`delete from registry_events where id = ${timeline[1]!.id}`);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([
      { log: "registry", row: `row id ${timeline[2]!.id} (seq 3)`, message: expect.stringContaining("sequence 2 is missing") },
    ]);

    const other = await ownedProject();
    await registryActivity(other.ctx);
    const rows = await db().select().from(registryEvents).where(eq(registryEvents.projectId, other.project.id)).orderBy(asc(registryEvents.seq));
    const [a, b] = [rows[2]!, rows[3]!];
    await db().execute(sql`update registry_events set seq = -1 where id = ${a.id}`);
    await db().execute(sql`update registry_events set seq = 3 where id = ${b.id}`);
    await db().execute(sql`update registry_events set seq = 4 where id = ${a.id}`);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: other.project.slug }))).toEqual([
      { log: "registry", row: `row id ${b.id} (seq 3)`, message: expect.stringContaining("is not the hash of sequence 2") },
    ]);
  });
});

describe("concurrent writers", () => {
  it("never fork a chain: 20 audited changes, 20 registrations and 20 instance-level rows at once", async () => {
    const { owner, project, ctx } = await ownedProject();
    const api = callerFor(sessionOf(owner));
    const user = await makeUser();
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => api.project.update({ projectSlug: project.slug, name: `Name ${i}`, description: "" })),
      ...Array.from({ length: 20 }, (_, i) => createRegisteredModel({ ctx, input: { name: `model-${i}` } })),
      ...Array.from({ length: 20 }, (_, i) => issueToken(system(), user.id, { name: `t${i}`, expiresInDays: 1, projectId: null, readOnly: true })),
    ]);
    console.log(`60 concurrent chained writes: ${Math.round(performance.now() - started)} ms`);

    // Every chain of the instance is checked; other tests in this file broke theirs on purpose.
    const reports = (await verifyStoredTrail(db())).filter((r) => r.projectId === project.id || r.projectId === null);
    expect(brokenOf(reports)).toEqual([]);
    const mine = reports.filter((r) => r.projectId === project.id);
    expect(mine.map((r) => [r.log, r.rows])).toEqual([
      ["audit", 21],
      ["registry", 20],
    ]);
    expect(reports.find((r) => r.label === "instance")!.rows).toBeGreaterThanOrEqual(20);
  });

  it("take the chain's lock only at commit, so a change that locks rows after its audit row cannot deadlock", async () => {
    const { project, ctx } = await ownedProject();
    let signal!: () => void;
    const rowLocked = new Promise<void>((resolve) => (signal = resolve));
    const lockProjectRow = (tx: ProjectContext) => tx.db.execute(sql`select id from projects where id = ${project.id} for update`);
    const first = inTransaction(ctx, async (tx) => {
      await lockProjectRow(tx);
      signal();
      await sleep(300);
      await recordAudit(tx, { project, action: "test.first", target: { type: "test", id: "1" } });
    });
    await rowLocked;
    const second = inTransaction(ctx, async (tx) => {
      await recordAudit(tx, { project, action: "test.second", target: { type: "test", id: "2" } });
      await lockProjectRow(tx);
    });
    await Promise.all([first, second]);
    expect((await auditRows(project.id)).map((r) => r.action)).toEqual(["project.create", "test.first", "test.second"]);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([]);
  });
});

describe("rows written before the chain (an upgraded instance)", () => {
  const legacyRow = (projectId: string, slug: string, action: string, at: string) =>
    db().execute(sql`insert into audit_events (project_id, project_slug, actor_label, action, target_type, target_id, after, created_at)
                     values (${projectId}, ${slug}, 'old release', ${action}, 'test', '1', '{"b": 1.0, "a": [2]}', ${at}::timestamptz)`);

  it("chains them at start-up in (created_at, id) order, cut to the millisecond", async () => {
    const { project } = await ownedProject();
    await legacyRow(project.id, project.slug, "legacy.later", "2020-01-02 00:00:00.654321+00");
    await legacyRow(project.id, project.slug, "legacy.earlier", "2020-01-01 00:00:00.123456+00");
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([
      { log: "audit", row: expect.stringMatching(/^row id \d+$/), message: expect.stringContaining("no place in the chain") },
    ]);

    expect((await chainLegacyRows(db())).rows).toBeGreaterThanOrEqual(2);
    const rows = await auditRows(project.id);
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, "project.create"],
      [2, "legacy.earlier"],
      [3, "legacy.later"],
    ]);
    expect(rows[1]!.createdAt.toISOString()).toBe("2020-01-01T00:00:00.123Z");
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([]);
    expect((await chainLegacyRows(db())).rows).toBe(0);
  });

  it("chains them before the next row of the same chain, when an older instance wrote them during a rolling upgrade", async () => {
    const { owner, project } = await ownedProject();
    await legacyRow(project.id, project.slug, "legacy.during-rollout", "2020-01-01 00:00:00.5+00");
    await callerFor(sessionOf(owner)).project.update({ projectSlug: project.slug, name: "After", description: "" });
    expect((await auditRows(project.id)).map((r) => [r.seq, r.action])).toEqual([
      [1, "project.create"],
      [2, "legacy.during-rollout"],
      [3, "project.update"],
    ]);
    expect(brokenOf(await verifyStoredTrail(db(), { projectSlug: project.slug }))).toEqual([]);
  });
});

describe("export", () => {
  it("gives the owner the project's chains as JSON Lines that verify offline, and refuses everyone else", async () => {
    const { owner, project, ctx } = await ownedProject();
    await registryActivity(ctx);
    const response = await exportedBy((await tokenActorOf(owner)).secret, project.slug);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jsonl; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`${project.slug}-audit-`);
    const body = await response.text();
    const lines = body
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.log, l.seq])).toEqual([
      ["audit", 1],
      ["registry", 1],
      ["registry", 2],
      ["registry", 3],
      ["registry", 4],
      ["registry", 5],
    ]);
    expect(Object.keys(lines[0])).toEqual([
      "id",
      "log",
      "seq",
      "prevHash",
      "createdAt",
      "projectId",
      "projectSlug",
      "actorUserId",
      "actorTokenId",
      "actorLabel",
      "action",
      "targetType",
      "targetId",
      "before",
      "after",
      "hash",
    ]);

    const offline = await verifyTrailFile(linesOf(body));
    expect(offline.unreadable).toBeNull();
    expect(offline.chains.map((c) => [c.log, c.label, c.rows, c.broken])).toEqual([
      ["audit", project.slug, 1, null],
      ["registry", project.slug, 5, null],
    ]);

    const status = async (secret: string) => (await exportedBy(secret, project.slug)).status;
    for (const role of ["maintainer", "contributor", "viewer"] as const) {
      const member = await makeUser();
      await addMember(project.id, member, role);
      expect(await status((await tokenActorOf(member)).secret), role).toBe(403);
    }
    expect(await status((await tokenActorOf(owner, { readOnly: true })).secret)).toBe(403);
    expect(await status((await tokenActorOf(await makeUser())).secret)).toBe(404);
    const anonymous = await projectExport(new Request(`http://cairn.test/p/${project.slug}/settings/audit/export`), {
      params: Promise.resolve({ slug: project.slug }),
    });
    expect(anonymous.status).toBe(401);
  });

  it("lets an auditor check the file with the CLI, naming the line that was changed or is missing", async () => {
    const { owner, project, ctx } = await ownedProject();
    await registryActivity(ctx);
    const body = await (await exportedBy((await tokenActorOf(owner)).secret, project.slug)).text();
    const dir = mkdtempSync(path.join(os.tmpdir(), "cairn-audit-"));
    writeFileSync(path.join(dir, "log.jsonl"), body);
    const good = await cli(["audit", "verify", "--file", "log.jsonl"], dir);
    expect(good).toEqual({ code: 0, output: expect.stringContaining("all 2 chain(s) verified") });
    expect(good.output).toMatch(new RegExp(`ok      registry timeline, ${project.slug}: 5 row\\(s\\), last seq 5, hash [0-9a-f]{64}`));

    const lines = body.trimEnd().split("\n");
    const changed = lines.map((l, i) => (i === 2 ? l.replace('"toVersion":1', '"toVersion":7') : l));
    expect(changed[2]).not.toBe(lines[2]);
    writeFileSync(path.join(dir, "changed.jsonl"), changed.join("\n"));
    const edited = await cli(["audit", "verify", "--file", "changed.jsonl"], dir);
    expect(edited.code).toBe(1);
    expect(edited.output).toContain(
      `BROKEN  registry timeline, ${project.slug}: line 3 (row id ${JSON.parse(lines[2]!).id}, seq 2): its content does not match its hash`,
    );

    writeFileSync(path.join(dir, "gap.jsonl"), lines.filter((_, i) => i !== 2).join("\n"));
    expect((await cli(["audit", "verify", "--file", "gap.jsonl"], dir)).output).toContain(
      `line 3 (row id ${JSON.parse(lines[3]!).id}, seq 3): sequence 2 is missing`,
    );
    writeFileSync(path.join(dir, "garbage.jsonl"), `${lines[0]}\nnot json\n`);
    expect(await cli(["audit", "verify", "--file", "garbage.jsonl"], dir)).toEqual({ code: 1, output: "error: garbage.jsonl: line 2 is not JSON" });
    expect((await cli(["audit", "verify", "--file", "x", "--project", "y"])).code).toBe(2);
  });

  it("gives administrators every audit chain, and only at the browser", async () => {
    const admin = await makeUser({ isAdmin: true });
    const { project } = await ownedProject();
    const chunks: string[] = [];
    for await (const chunk of exportInstanceTrail({ ctx: createServiceContext(sessionOf(admin)) })) chunks.push(chunk);
    const offline = await verifyTrailFile(linesOf(chunks.join("")));
    expect(offline.chains[0]!.label).toBe("instance");
    expect(offline.chains.find((c) => c.projectId === project.id)).toMatchObject({ log: "audit", rows: expect.any(Number) });
    expect(offline.chains.every((c) => c.log === "audit")).toBe(true);

    const request = (headers: Record<string, string> = {}) => instanceExport(new Request("http://cairn.test/admin/audit/export", { headers }));
    expect((await request()).status).toBe(401);
    expect((await request({ authorization: `Bearer ${(await tokenActorOf(admin)).secret}` })).status).toBe(403);
  });
});
