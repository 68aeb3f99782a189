import { describe, expect, it } from "vitest";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { createExperiment, deleteExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, updateRun, type RunStatus } from "../../server/services/tracking/runs";
import { callerFor, makeProject, makeUser, outcome, sessionOf, unique } from "../support/factories";

/** A project with an owner, their caller and a context to log runs with. */
async function project() {
  const owner = await makeUser();
  const { slug } = await makeProject(owner);
  const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), slug, "run.write");
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  return { slug, ctx, experimentId, api: callerFor(sessionOf(owner)) };
}

let clock = Date.now() - 3_600_000;

/** A run started after the previous one, with these latest metric values, left in `status`. */
async function logRun(ctx: ProjectContext, experimentId: string, metrics: Record<string, number>, status: RunStatus = "FINISHED") {
  const runId = (await createRun({ ctx, input: { experimentId, startTime: (clock += 60_000) } })).info.runId;
  await logBatch({ ctx, input: { runId, metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: clock, step: 0 })) } });
  if (status !== "RUNNING") await updateRun({ ctx, input: { runId, status, endTime: clock + 30_000 } });
  return runId;
}

describe("the overview's leaderboard", () => {
  it("ranks finished runs by default, and every run with status 'all', each with its status", async () => {
    const { slug, ctx, experimentId, api } = await project();
    const finished = await logRun(ctx, experimentId, { auc: 0.8 });
    const failed = await logRun(ctx, experimentId, { auc: 0.95 }, "FAILED");
    const running = await logRun(ctx, experimentId, { auc: 0.9 }, "RUNNING");
    await api.project.setPrimaryMetric({ projectSlug: slug, key: "auc", goal: "max" });

    const board = await api.overview.leaderboard({ projectSlug: slug });
    expect(board).toMatchObject({ key: "auc", status: "FINISHED" });
    expect(board!.runs.map((r) => r.runId)).toEqual([finished]);

    const all = await api.overview.leaderboard({ projectSlug: slug, status: "all" });
    expect(all!.runs.map((r) => [r.runId, r.status])).toEqual([
      [failed, "FAILED"],
      [running, "RUNNING"],
      [finished, "FINISHED"],
    ]);
    expect(await outcome(() => api.overview.leaderboard({ projectSlug: slug, status: "FAILED" as "all" }))).toBe("BAD_REQUEST");
  });
});

describe("the overview's recent runs", () => {
  it("show the same metric on every row: the key most of them logged, system metrics last", async () => {
    const { slug, ctx, experimentId, api } = await project();
    const a = await logRun(ctx, experimentId, { loss: 0.5, "system/cpu": 40 });
    const b = await logRun(ctx, experimentId, { acc: 0.7, loss: 0.4, "system/cpu": 41 });
    const c = await logRun(ctx, experimentId, { acc: 0.8, f1: 0.6, "system/cpu": 42 });
    const d = await logRun(ctx, experimentId, { "system/cpu": 43 }, "RUNNING");

    const recent = await api.overview.recent({ projectSlug: slug });
    // acc and loss were logged by two runs each (ties go alphabetically); system/cpu by all four.
    expect(recent.metricKey).toBe("acc");
    expect(recent.runs.map((r) => [r.info.runId, r.metric])).toEqual([
      [d, null],
      [c, 0.8],
      [b, 0.7],
      [a, null],
    ]);
    expect((await api.overview.recent({ projectSlug: slug, limit: 1 })).metricKey).toBe("system/cpu");
  });

  it("show the project's primary metric when it has one, and no metric when none was logged", async () => {
    const { slug, ctx, experimentId, api } = await project();
    expect(await api.overview.recent({ projectSlug: slug })).toEqual({ metricKey: null, runs: [] });
    const plain = await logRun(ctx, experimentId, {});
    expect((await api.overview.recent({ projectSlug: slug })).metricKey).toBeNull();
    const scored = await logRun(ctx, experimentId, { f1: 0.61, acc: 0.9 });
    await logRun(ctx, experimentId, { acc: 0.85 });
    await api.project.setPrimaryMetric({ projectSlug: slug, key: "f1", goal: "max" });
    const recent = await api.overview.recent({ projectSlug: slug });
    expect(recent.metricKey).toBe("f1");
    expect(recent.runs.filter((r) => r.metric !== null).map((r) => [r.info.runId, r.metric])).toEqual([[scored, 0.61]]);
    expect(recent.runs.at(-1)!.info.runId).toBe(plain);
  });
});

describe("the project's experiments", () => {
  it("count each experiment's active runs and date its last activity, most recent first", async () => {
    const { slug, ctx, experimentId, api } = await project();
    const { experimentId: idle } = await createExperiment({ ctx, input: { name: unique("idle") } });
    await logRun(ctx, experimentId, { auc: 0.8 });
    const deleted = await logRun(ctx, experimentId, { auc: 0.7 });
    await logRun(ctx, experimentId, { auc: 0.9 }, "RUNNING");
    await api.runsTable.deleteMany({ projectSlug: slug, runIds: [deleted] });

    const listed = await api.experiment.list({ projectSlug: slug });
    const busy = listed.find((e) => e.experimentId === experimentId)!;
    // The running run started last; the finished ones ended 30 s after their starts, before it.
    expect(busy).toMatchObject({ runCount: 2, lastActivity: clock });
    // Without runs, an experiment dates from its creation (the Default one's, then this one's: just
    // now), after these runs of an hour ago.
    expect(listed.map((e) => e.experimentId)).toEqual([idle, "0", experimentId]);
    expect(listed[0]).toMatchObject({ runCount: 0 });
    expect(listed.map((e) => e.lastActivity)).toEqual([...listed.map((e) => e.lastActivity)].sort((a, b) => b - a));
  });

  it("are named for pickers without their runs: active ones only, newest first, of this project only", async () => {
    const { slug, ctx, experimentId, api } = await project();
    const newer = await createExperiment({ ctx, input: { name: unique("newer") } });
    const gone = await createExperiment({ ctx, input: { name: unique("gone") } });
    await deleteExperiment({ ctx, input: { experimentId: gone.experimentId } });
    await project(); // another project's experiments stay out

    const named = await api.experiment.names({ projectSlug: slug });
    const listed = await api.experiment.list({ projectSlug: slug });
    expect(named.map((e) => e.experimentId)).toEqual([newer.experimentId, experimentId, "0"]);
    expect(new Map(named.map((e) => [e.experimentId, e.name]))).toEqual(new Map(listed.map((e) => [e.experimentId, e.name])));
  });
});
