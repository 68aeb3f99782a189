import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as exportRoute } from "../../app/(app)/p/[slug]/runs/export/route";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, runs } from "../../server/db/schema";
import { createExperiment, deleteExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, updateRun } from "../../server/services/tracking/runs";
import { setPrimaryMetric } from "../../server/services/projects";
import { defaultRunColumns } from "../../server/services/tracking/run-default-columns";
import { runColumns } from "../../server/services/tracking/key-catalogue";
import { deleteRuns, exportRunsCsv, restoreRuns, runAuthorCounts, runGroups, runsTable, safeCell } from "../../server/services/tracking/runs-table";
import { searchRuns } from "../../server/services/tracking/search";
import { seedScaleRuns } from "../support/runs-table-seed";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf, tokenActorOf } from "../support/factories";

type Spec = {
  name: string;
  start: number;
  end?: number;
  status?: "FINISHED" | "FAILED" | "RUNNING" | "KILLED";
  user?: string;
  experimentId?: string;
  metrics?: Record<string, number | "NaN">;
  params?: Record<string, string>;
  tags?: Record<string, string>;
};

/** `spec.user` is the login name the client reports; `ctx` is the person logging the run. */
async function logRun(ctx: ProjectContext, spec: Spec) {
  const run = await createRun({
    ctx,
    input: { experimentId: spec.experimentId ?? "0", runName: spec.name, startTime: spec.start, userId: spec.user ?? "alice" },
  });
  const runId = run.info.runId;
  await logBatch({
    ctx,
    input: {
      runId,
      metrics: Object.entries(spec.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: spec.start, step: 0 })),
      params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  });
  if (spec.status && spec.status !== "RUNNING") await updateRun({ ctx, input: { runId, status: spec.status, endTime: spec.end ?? spec.start + 1000 } });
  return runId;
}

/**
 * Six runs in two experiments with overlapping, partly missing keys; the owner logs those reported
 * as "alice", Ada (a contributor) those reported as "bob".
 */
async function fixture() {
  const { ctx, owner, project } = await projectContext("run.delete");
  const ada = await makeUser({ name: "Ada Lovelace" });
  await addMember(project.id, ada, "contributor");
  const adaCtx = await authorizeProject(createServiceContext(sessionOf(ada)), project.slug, "run.write");
  const { experimentId: other } = await createExperiment({ ctx, input: { name: "other" } });
  const ids: Record<string, string> = {};
  const specs: Spec[] = [
    { name: "a", start: 1_000, status: "FINISHED", metrics: { acc: 0.9, loss: 0.3 }, params: { lr: "0.1", model: "xgb" }, tags: { team: "fraud" } },
    { name: "b", start: 2_000, status: "FAILED", user: "bob", metrics: { acc: 0.7 }, params: { lr: "0.01", model: "xgb" } },
    { name: "c", start: 3_000, status: "FINISHED", metrics: { acc: "NaN", loss: 0.5 }, params: { lr: "10", model: "rf" }, tags: { team: "growth" } },
    { name: "d", start: 4_000, status: "RUNNING", user: "bob", metrics: { loss: 0.1 }, params: { lr: "1e-3" } },
    {
      name: "e",
      start: 5_000,
      status: "FINISHED",
      experimentId: other,
      metrics: { acc: 0.95 },
      params: { lr: "abc", model: "rf" },
      tags: { team: "=cmd|' /C calc'!A0" },
    },
    { name: "f", start: 6_000, status: "KILLED", end: 6_500, experimentId: other, params: { model: "-2+3" } },
  ];
  for (const spec of specs) ids[spec.name] = await logRun(spec.user === "bob" ? adaCtx : ctx, spec);
  const names = (rows: { runName: string }[]) => rows.map((r) => r.runName);
  return { ctx, owner, ada, project, ids, other, names };
}

describe("runs table", () => {
  it("returns only the asked-for columns, with the attributes of each run", async () => {
    const { ctx, owner, ada, names } = await fixture();
    const result = await runsTable({ ctx, input: { columns: ["metrics.acc", "params.lr", "tags.team", "attributes.status"] } });
    expect(result.total).toBe(6);
    expect(names(result.rows)).toEqual(["f", "e", "d", "c", "b", "a"]);
    const a = result.rows.find((r) => r.runName === "a")!;
    expect(a).toMatchObject({
      status: "FINISHED",
      userId: "alice",
      startTime: 1_000,
      endTime: 2_000,
      experimentId: "0",
      experimentName: "Default",
      deleted: false,
    });
    // The author is the person who logged the run; the reported login name stays MLflow's user_id.
    expect(a.author).toEqual({ id: owner.id, name: owner.name, email: owner.email });
    expect(result.rows.find((r) => r.runName === "b")).toMatchObject({ userId: "bob", author: { id: ada.id, name: "Ada Lovelace", email: ada.email } });
    expect(a.values).toEqual({ "metrics.acc": 0.9, "params.lr": "0.1", "tags.team": "fraud" });
    expect(result.rows.find((r) => r.runName === "c")!.values["metrics.acc"]).toBeNaN();
    for (const row of result.rows) expect(Object.keys(row.values).every((k) => ["metrics.acc", "params.lr", "tags.team"].includes(k))).toBe(true);
    expect((await runsTable({ ctx, input: {} })).rows[0]!.values).toEqual({});
  });

  it("sorts by metric, param and attribute with missing values last in both directions", async () => {
    const { ctx, names } = await fixture();
    const sorted = async (column: string, desc: boolean) => names((await runsTable({ ctx, input: { sort: [{ column, desc }] } })).rows);
    // NaN counts as missing; ties and missing runs fall back to newest first.
    expect(await sorted("metrics.acc", true)).toEqual(["e", "a", "b", "f", "d", "c"]);
    expect(await sorted("metrics.acc", false)).toEqual(["b", "a", "e", "f", "d", "c"]);
    expect(await sorted("metrics.loss", false)).toEqual(["d", "a", "c", "f", "e", "b"]);
    // Params that are numbers sort as numbers, before text.
    expect(await sorted("params.lr", false)).toEqual(["d", "b", "a", "c", "e", "f"]);
    expect(await sorted("params.lr", true)).toEqual(["c", "a", "b", "d", "e", "f"]);
    expect(await sorted("tags.team", false)).toEqual(["e", "a", "c", "f", "d", "b"]);
    expect(await sorted("attributes.run_name", false)).toEqual(["a", "b", "c", "d", "e", "f"]);
    // The User column sorts by the person's name (Ada Lovelace before the owner's "user-…"), not the login name.
    expect(await sorted("attributes.user_id", false)).toEqual(["d", "b", "f", "e", "c", "a"]);
    expect(await sorted("attributes.end_time", true)).toEqual(["f", "e", "c", "b", "a", "d"]);
    expect((await sorted("attributes.duration", false)).slice(0, 2)).toEqual(["f", "e"]);
    expect(await sorted("attributes.experiment_id", false)).toEqual(["d", "c", "b", "a", "f", "e"]);
    expect(await sorted("attributes.status", false)).toEqual(["b", "e", "c", "a", "f", "d"]);
    // A secondary sort breaks the ties of the first.
    const multi = await runsTable({
      ctx,
      input: {
        sort: [
          { column: "params.model", desc: false },
          { column: "metrics.acc", desc: true },
        ],
      },
    });
    expect(names(multi.rows)).toEqual(["f", "e", "c", "a", "b", "d"]);
  });

  it("filters by the search grammar, statuses, people, start dates, experiments and lifecycle together", async () => {
    const { ctx, owner, ada, names, other, ids } = await fixture();
    const rows = async (input: Parameters<typeof runsTable>[0]["input"]) => names((await runsTable({ ctx, input })).rows);
    expect(await rows({ filter: "metrics.acc > 0.8 and (params.model = 'xgb' or tags.team LIKE '=%')" })).toEqual(["e", "a"]);
    expect(await rows({ statuses: ["FINISHED", "KILLED"] })).toEqual(["f", "e", "c", "a"]);
    expect(await rows({ authorIds: [ada.id] })).toEqual(["d", "b"]);
    expect(await rows({ authorIds: [owner.id, ada.id] })).toHaveLength(6);
    // The reported login name is MLflow's user_id, in the search grammar.
    expect(await rows({ filter: "attributes.user_id = 'bob'" })).toEqual(["d", "b"]);
    expect(await rows({ startedFrom: 2_000, startedBefore: 4_000 })).toEqual(["c", "b"]);
    expect(await rows({ experimentIds: [other] })).toEqual(["f", "e"]);
    expect(await rows({ experimentIds: ["not-a-number"] })).toEqual([]);
    expect(await rows({ filter: "params.lr != '10'", statuses: ["FINISHED"], authorIds: [owner.id], startedFrom: 1_500 })).toEqual(["e"]);
    await expect(runsTable({ ctx, input: { authorIds: ["bob"] } })).rejects.toThrow("authorIds.0: must be a user id");
    await deleteRuns({ ctx, input: { runIds: [ids.a!] } });
    expect(await rows({})).toEqual(["f", "e", "d", "c", "b"]);
    expect(await rows({ lifecycle: "deleted" })).toEqual(["a"]);
    expect((await runsTable({ ctx, input: { lifecycle: "all" } })).total).toBe(6);
  });

  it("reports a filter syntax error with its position, as a field error", async () => {
    const { ctx, owner, project } = await fixture();
    await expect(runsTable({ ctx, input: { filter: "metrics.acc > 0.9 and (" } })).rejects.toThrow(/after '\(' at position 23/);
    try {
      await callerFor(sessionOf(owner)).runsTable.rows({ projectSlug: project.slug, filter: "metrics.acc >> 1" });
      expect.unreachable();
    } catch (error) {
      const e = error as { code: string; cause: { fields: Record<string, string> } };
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.cause.fields.filter).toMatch(/at position 13/);
    }
    await expect(runsTable({ ctx, input: { columns: ["nonsense"] } })).rejects.toThrow(/Unknown column 'nonsense'/);
    await expect(runsTable({ ctx, input: { limit: 501 } })).rejects.toThrow(/at most 500/);
  });

  it("pages through the view in windows that cover every run exactly once", async () => {
    const { ctx } = await projectContext();
    const { experimentId } = await createExperiment({ ctx, input: { name: "many" } });
    const all: string[] = [];
    // Equal start times and sort values: only the run id breaks the ties.
    for (let i = 0; i < 23; i++)
      all.push(await logRun(ctx, { name: `r${i}`, start: 1_000 * (i % 3), experimentId, metrics: { m: i % 4 }, params: { p: String(i % 2) } }));
    for (const sort of [
      [],
      [{ column: "metrics.m", desc: true }],
      [
        { column: "params.p", desc: false },
        { column: "attributes.status", desc: false },
      ],
    ]) {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 5) {
        const window = await runsTable({ ctx, input: { sort, offset, limit: 5, columns: ["metrics.m"] } });
        expect(window.total).toBe(23);
        seen.push(...window.rows.map((r) => r.runId));
        if (window.rows.length < 5) break;
      }
      expect(seen).toHaveLength(23);
      expect(new Set(seen)).toEqual(new Set(all));
    }
  });

  it("lists the keys logged in the experiments in view, searchable and capped", async () => {
    const { ctx, other } = await fixture();
    const columns = await runColumns({ ctx, input: {} });
    expect(columns.metrics).toEqual({ keys: ["acc", "loss"], total: 2 });
    expect(columns.params).toEqual({ keys: ["lr", "model"], total: 2 });
    // The user's own tags first, mlflow.* system tags last.
    expect(columns.tags.keys).toEqual(["team", "mlflow.runName"]);
    expect(columns.attributes).toContain("attributes.status");
    expect(columns.attributes).not.toContain("attributes.run_name");
    const scoped = await runColumns({ ctx, input: { experimentIds: [other], search: "MO", limit: 1 } });
    expect(scoped.params).toEqual({ keys: ["model"], total: 1 });
    expect(scoped.metrics.keys).toEqual([]);
    expect((await runColumns({ ctx, input: { experimentIds: [other] } })).metrics.keys).toEqual(["acc"]);
    const capped = await runColumns({ ctx, input: { limit: 1 } });
    expect(capped.metrics).toEqual({ keys: ["acc"], total: 2 });
    expect((await runColumns({ ctx, input: { search: "%" } })).metrics.keys).toEqual([]);
    expect((await runColumns({ ctx, input: { search: "_" } })).metrics.keys).toEqual([]);
    // An experiment that cannot exist has no keys.
    expect((await runColumns({ ctx, input: { experimentIds: ["x"] } })).params).toEqual({ keys: [], total: 0 });
  });

  it("lists the people who logged the runs in view, most runs first, apart from the key catalogue", async () => {
    const { ctx, owner, ada, other } = await fixture();
    const people = [
      { id: owner.id, name: owner.name, email: owner.email, runs: 4 },
      { id: ada.id, name: "Ada Lovelace", email: ada.email, runs: 2 },
    ];
    expect(await runAuthorCounts({ ctx, input: {} })).toEqual(people);
    expect(await runColumns({ ctx, input: {} })).not.toHaveProperty("authors");
    // The people list ignores the people filter, so another person can be picked.
    expect(await runAuthorCounts({ ctx, input: { authorIds: [ada.id] } })).toEqual(people);
    // Only the runs in view count: the other experiment's are the owner's, the running one is Ada's.
    expect(await runAuthorCounts({ ctx, input: { experimentIds: [other] } })).toEqual([{ ...people[0], runs: 2 }]);
    expect(await runAuthorCounts({ ctx, input: { statuses: ["RUNNING"] } })).toEqual([{ ...people[1], runs: 1 }]);
  });

  it("groups by a param or tag with counts and metric aggregates, runs without it in the null group", async () => {
    const { ctx } = await fixture();
    const { groups, totalGroups } = await runGroups({ ctx, input: { groupBy: "params.model", metrics: ["metrics.acc", "metrics.loss"] } });
    expect(totalGroups).toBe(4);
    // Largest groups first, then by value (numbers as numbers), the null group last.
    expect(groups.map((g) => [g.value, g.runs])).toEqual([
      ["rf", 2],
      ["xgb", 2],
      ["-2+3", 1],
      [null, 1],
    ]);
    const rf = groups.find((g) => g.value === "rf")!;
    // NaN is left out of the aggregates.
    expect(rf.metrics["metrics.acc"]).toEqual({ min: 0.95, avg: 0.95, max: 0.95, count: 1 });
    expect(rf.metrics["metrics.loss"]).toEqual({ min: 0.5, avg: 0.5, max: 0.5, count: 1 });
    const xgb = groups.find((g) => g.value === "xgb")!;
    expect(xgb.metrics["metrics.acc"]!.min).toBeCloseTo(0.7);
    expect(xgb.metrics["metrics.acc"]!.avg).toBeCloseTo(0.8);
    expect(xgb.metrics["metrics.acc"]!.max).toBeCloseTo(0.9);
    expect(groups.find((g) => g.value === null)!.metrics["metrics.acc"]).toEqual({ min: null, avg: null, max: null, count: 0 });
    const byTeam = await runGroups({ ctx, input: { groupBy: "tags.team", filter: "params.lr != 'zzz'" } });
    expect(byTeam.groups.map((g) => [g.value, g.runs])).toEqual([
      [null, 2],
      ["=cmd|' /C calc'!A0", 1],
      ["fraud", 1],
      ["growth", 1],
    ]);
    await expect(runGroups({ ctx, input: { groupBy: "metrics.acc" } })).rejects.toThrow(/params.<key> or tags.<key>/);
  });

  it("deletes and restores runs in bulk, audited, refusing any id outside the project", async () => {
    const { ctx, ids, project } = await fixture();
    const foreign = await fixture();
    const mine = [ids.a!, ids.b!];
    const before = await getDb().select({ id: runs.id, deletedAt: runs.deletedAt }).from(runs).where(eq(runs.projectId, project.id));
    await expect(deleteRuns({ ctx, input: { runIds: [...mine, foreign.ids.a!] } })).rejects.toThrow(`Run '${foreign.ids.a}' not found`);
    await expect(deleteRuns({ ctx, input: { runIds: [ids.a!, "nonsense"] } })).rejects.toThrow("Run 'nonsense' not found");
    expect(await getDb().select({ id: runs.id, deletedAt: runs.deletedAt }).from(runs).where(eq(runs.projectId, project.id))).toEqual(before);
    await expect(deleteRuns({ ctx, input: { runIds: Array.from({ length: 1001 }, () => ids.a!) } })).rejects.toThrow(/At most 1000/);

    expect(await deleteRuns({ ctx, input: { runIds: [...mine, ids.a!] } })).toEqual({ changed: 2 });
    expect(await deleteRuns({ ctx, input: { runIds: mine } })).toEqual({ changed: 0 });
    expect((await runsTable({ ctx, input: { lifecycle: "deleted" } })).rows.map((r) => r.runName)).toEqual(["b", "a"]);
    const audit = await getDb()
      .select({ action: auditEvents.action, targetId: auditEvents.targetId })
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, project.id), inArray(auditEvents.action, ["run.delete", "run.restore"])));
    expect(audit.map((a) => a.targetId).sort()).toEqual([...mine].sort());

    expect(await restoreRuns({ ctx, input: { runIds: mine } })).toEqual({ changed: 2 });
    expect((await runsTable({ ctx, input: {} })).total).toBe(6);
    // A run of a deleted experiment comes back with its experiment, not alone.
    const { experimentId } = await createExperiment({ ctx, input: { name: "doomed" } });
    const doomed = await logRun(ctx, { name: "z", start: 9_000, experimentId });
    await deleteRuns({ ctx, input: { runIds: [doomed] } });
    await deleteExperiment({ ctx, input: { experimentId } });
    await expect(restoreRuns({ ctx, input: { runIds: [doomed] } })).rejects.toThrow(/deleted experiment/);
  });

  it("refuses bulk deletion to viewers and ids of another project through the router", async () => {
    const { owner, project, ids } = await fixture();
    const foreign = await fixture();
    const viewer = await makeUser();
    await addMember(project.id, viewer, "viewer");
    expect(await outcome(() => callerFor(sessionOf(viewer)).runsTable.deleteMany({ projectSlug: project.slug, runIds: [ids.a!] }))).toBe("FORBIDDEN");
    expect(await outcome(() => callerFor(sessionOf(viewer)).runsTable.rows({ projectSlug: project.slug }))).toBe("OK");
    const owners = callerFor(sessionOf(owner));
    expect(await outcome(() => owners.runsTable.deleteMany({ projectSlug: project.slug, runIds: [foreign.ids.a!] }))).toBe("NOT_FOUND");
    expect(await outcome(() => owners.runsTable.restoreMany({ projectSlug: project.slug, runIds: [ids.a!, foreign.ids.b!] }))).toBe("NOT_FOUND");
    expect((await runsTable({ ctx: foreign.ctx, input: {} })).total).toBe(6);
  });

  it("exports the whole view as CSV in batches, escaping cells a spreadsheet would run", async () => {
    const { ctx } = await fixture();
    const chunks: string[] = [];
    const csv = await exportRunsCsv({
      ctx,
      input: {
        columns: ["attributes.experiment_id", "attributes.status", "attributes.start_time", "metrics.acc", "params.model", "tags.team"],
        sort: [{ column: "attributes.run_name", desc: false }],
      },
    });
    for await (const chunk of csv) chunks.push(chunk);
    const lines = chunks.join("").trimEnd().split("\n");
    expect(lines[0]).toBe("run_id,run_name,experiment_id,experiment_name,status,start_time,metrics.acc,params.model,tags.team");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^[0-9a-f]{32},a,0,Default,FINISHED,1970-01-01T00:00:01.000Z,0.9,xgb,fraud$/);
    expect(lines[3]).toMatch(/,c,0,Default,FINISHED,.*,NaN,rf,growth$/);
    // Formula-looking text is quoted with a leading '; a plain negative number is left alone.
    expect(lines[5]).toContain(`,'=cmd|' /C calc'!A0`);
    expect(lines[6]).toContain(",'-2+3,");
    expect(safeCell("-0.5")).toBe("-0.5");
    expect(safeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(safeCell("+1+2")).toBe("'+1+2");
    expect(safeCell("\tx")).toBe("'\tx");
    await expect(exportRunsCsv({ ctx, input: { filter: "metrics.acc >" } })).rejects.toThrow(/Expected a value/);
  });

  it("serves the CSV through the route to members only, with the view from the query string", async () => {
    const { owner, project } = await fixture();
    const url = (query: string) => new Request(`http://cairn.test/p/${project.slug}/runs/export?${query}`);
    const call = (request: Request) => exportRoute(request, { params: Promise.resolve({ slug: project.slug }) });
    expect((await call(url("cols=metrics.acc"))).status).toBe(401);

    const { secret } = await tokenActorOf(owner);
    const withToken = (query: string, token = secret) =>
      call(new Request(`http://cairn.test/p/${project.slug}/runs/export?${query}`, { headers: { authorization: `Bearer ${token}` } }));
    const response = await withToken("q=status+=+'FINISHED'&cols=metrics.acc,tags.team&sort=-metrics.acc");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`${project.slug}-runs-`);
    const body = await response.text();
    expect(
      body
        .trimEnd()
        .split("\n")
        .map((line) => line.split(",").slice(1).join(",")),
    ).toEqual(["run_name,metrics.acc,tags.team", "e,0.95,'=cmd|' /C calc'!A0", "a,0.9,fraud", "c,NaN,growth"]);
    expect((await withToken("q=metrics.acc+>>+1")).status).toBe(400);

    const stranger = await makeUser();
    expect((await withToken("", (await tokenActorOf(stranger)).secret)).status).toBe(404);
    const all = await (await withToken("")).text();
    // A view without columns exports the default columns: the attributes, then recent metrics and varying params.
    expect(all.split("\n")[0]).toBe(
      "run_id,run_name,experiment_id,experiment_name,status,start_time,duration_s,author,author_email,user_id,metrics.acc,metrics.loss,params.lr,params.model",
    );
    expect(all.trimEnd().split("\n")).toHaveLength(7);
  });

  it("chooses default columns: the primary metric, the filter and sort keys, recent metrics before system ones, varying params", async () => {
    const { ctx, owner, project } = await projectContext();
    await logRun(ctx, { name: "old", start: 1_000, metrics: { aaa_old: 1 }, params: { seed: "1", fixed: "x" } });
    await logRun(ctx, { name: "mid", start: 2_000, metrics: { zeta: 1, "system/cpu": 5 }, params: { seed: "2", fixed: "x", opt: "adam" } });
    await logRun(ctx, { name: "new", start: 3_000, metrics: { beta: 2, "system/gpu": 1 }, params: { seed: "3", fixed: "x", opt: "sgd" } });
    const attributes = ["attributes.status", "attributes.start_time", "attributes.duration", "attributes.user_id"];
    const api = callerFor(sessionOf(owner));
    const defaults = async (input: Omit<Parameters<typeof api.runsTable.defaultColumns>[0], "projectSlug"> = {}) =>
      (await api.runsTable.defaultColumns({ projectSlug: project.slug, ...input })).columns;

    // Most recently logged first (not alphabetical), system metrics left out, params that vary most.
    const recent = ["metrics.beta", "metrics.zeta", "metrics.aaa_old", "params.seed", "params.opt"];
    expect(await defaults()).toEqual(["attributes.experiment_id", ...attributes, ...recent]);
    expect(await defaults({ experimentIds: ["0"] })).toEqual([...attributes, ...recent]);

    await setPrimaryMetric({ ctx, input: { key: "val/auc", goal: "max" } });
    expect(await defaults({ experimentIds: ["0"] })).toEqual([...attributes, "metrics.val/auc", ...recent]);
    // Keys the filter and the sort name come next; one that is a default anyway keeps its place.
    expect(
      await defaults({
        experimentIds: ["0"],
        filter: "params.fixed = 'x' or metrics.zeta >= 0",
        sort: [
          { column: "metrics.system/cpu", desc: true },
          { column: "attributes.run_name", desc: false },
        ],
      }),
    ).toEqual([
      ...attributes,
      "metrics.val/auc",
      "params.fixed",
      "metrics.system/cpu",
      "metrics.beta",
      "metrics.zeta",
      "metrics.aaa_old",
      "params.seed",
      "params.opt",
    ]);
    // The keys come from the runs in view: only "old" here.
    expect(await defaults({ experimentIds: ["0"], filter: "attributes.run_name = 'old'" })).toEqual([...attributes, "metrics.val/auc", "metrics.aaa_old"]);
    // With no other metric at all, the system metrics are better than none.
    const { ctx: bare } = await projectContext();
    await logRun(bare, { name: "sys", start: 1_000, metrics: { "system/cpu": 1 } });
    expect((await defaultRunColumns({ ctx: bare, input: { experimentIds: ["0"] } })).columns).toEqual([...attributes, "metrics.system/cpu"]);

    const stranger = await makeUser();
    expect(await outcome(() => callerFor(sessionOf(stranger)).runsTable.defaultColumns({ projectSlug: project.slug }))).toBe("NOT_FOUND");
    await expect(defaults({ filter: "metrics.zeta >" })).rejects.toThrow(/Expected a value/);
  });

  it("keeps MLflow run search unchanged on the shared WHERE", async () => {
    const { ctx, other } = await fixture();
    const found = await searchRuns({
      ctx,
      input: { experimentIds: ["0", other], filter: "params.model = 'rf' or metrics.loss < 0.2", orderBy: ["params.lr ASC"] },
    });
    expect(found.runs.map((r) => r.info.runName)).toEqual(["c", "d", "e"]);
    expect((await searchRuns({ ctx, input: { experimentIds: [other] } })).runs.map((r) => r.info.runName)).toEqual(["f", "e"]);
  });
});

describe("runs table at scale", () => {
  it("serves windows of 10,000 runs with 20 params and 20 metrics each", { timeout: 600_000 }, async () => {
    const { ctx } = await projectContext();
    const people = await Promise.all(Array.from({ length: 7 }, () => makeUser()));
    const seeded = performance.now();
    await seedScaleRuns(ctx, { runs: 10_000, params: 20, metrics: 20, authors: people.map((p) => p.id) });
    const seedMs = performance.now() - seeded;
    await getDb().execute(sql`analyze`);
    const columns = [
      "attributes.status",
      "attributes.start_time",
      "attributes.duration",
      "attributes.user_id",
      "metrics.m1",
      "metrics.m2",
      "metrics.m3",
      "params.p1",
      "params.p2",
    ];
    // The first call pays for planning and cold caches; the second is what a scrolling person sees.
    const time = async <T>(label: string, run: () => Promise<T>) => {
      let started = performance.now();
      await run();
      const cold = performance.now() - started;
      started = performance.now();
      const result = await run();
      console.log(`[runs-table scale] ${label}: ${cold.toFixed(0)} ms cold, ${(performance.now() - started).toFixed(0)} ms warm`);
      return result;
    };
    console.log(`[runs-table scale] seed 10,000 runs × 20 params × 20 metrics: ${seedMs.toFixed(0)} ms`);
    const first = await time("first window (200) sorted by metrics.m1 desc", () =>
      runsTable({ ctx, input: { columns, sort: [{ column: "metrics.m1", desc: true }], limit: 200 } }),
    );
    expect(first.total).toBe(10_000);
    expect(first.rows).toHaveLength(200);
    expect(Object.keys(first.rows[0]!.values).sort()).toEqual(["metrics.m1", "metrics.m2", "metrics.m3", "params.p1", "params.p2"]);
    const values = first.rows.map((r) => r.values["metrics.m1"] as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await time("default order, first window", () => runsTable({ ctx, input: { columns, limit: 200 } }));
    await time("deep window (offset 9,800) sorted by params.p3", () =>
      runsTable({ ctx, input: { columns, sort: [{ column: "params.p3", desc: false }], offset: 9_800, limit: 200 } }),
    );
    const filtered = await time("filter 'metrics.m2 > 0.5 and (params.p1 = '3' or tags.team = 'a')' sorted by metrics.m1", () =>
      runsTable({
        ctx,
        input: { columns, filter: "metrics.m2 > 0.5 and (params.p1 = '3' or tags.team = 'a')", sort: [{ column: "metrics.m1", desc: true }], limit: 200 },
      }),
    );
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(10_000);
    const byPerson = await time("filter with statuses and a person", () =>
      runsTable({ ctx, input: { columns, statuses: ["FINISHED"], authorIds: [people[1]!.id], sort: [{ column: "metrics.m1", desc: true }] } }),
    );
    expect(byPerson.total).toBeGreaterThan(0);
    expect(byPerson.rows.every((r) => r.author?.id === people[1]!.id)).toBe(true);
    await time("sorted by the User column (the person's name)", () =>
      runsTable({ ctx, input: { columns, sort: [{ column: "attributes.user_id", desc: false }], limit: 200 } }),
    );
    const defaults = await time("default columns", () => defaultRunColumns({ ctx, input: {} }));
    expect(defaults.columns.filter((c) => c.startsWith("metrics."))).toHaveLength(3);
    expect(defaults.columns.filter((c) => c.startsWith("params."))).toHaveLength(3);
    const keys = await time("columns (the whole catalogue)", () => runColumns({ ctx, input: { limit: 10_000 } }));
    expect(keys.metrics.total).toBe(20);
    expect(keys.params.keys).toHaveLength(20);
    const groups = await time("groups by params.p1 with 3 metrics", () =>
      runGroups({ ctx, input: { groupBy: "params.p1", metrics: ["metrics.m1", "metrics.m2", "metrics.m3"] } }),
    );
    expect(groups.groups.reduce((n, g) => n + g.runs, 0)).toBe(10_000);
    let lines = 0;
    await time("CSV export of every run, 9 columns", async () => {
      lines = 0;
      for await (const chunk of await exportRunsCsv({ ctx, input: { columns, sort: [{ column: "metrics.m1", desc: true }] } }))
        lines += chunk.split("\n").length - 1;
    });
    expect(lines).toBe(10_001);
  });
});
