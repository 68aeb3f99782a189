import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActorUser } from "../../server/access/actor";
import type { ProjectContext } from "../../server/context";
import { setPrimaryMetric } from "../../server/services/projects";
import { COMPARE_MAX_RUNS, type CompareReply } from "../../server/services/tracking/compare";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { setRunNotes } from "../../server/services/tracking/overview";
import { createRun, deleteRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf } from "../support/factories";

let ctx: ProjectContext;
let owner: ActorUser;
let slug: string;
/** Three hand-made runs: a, b (in another experiment), c (deleted). */
let a: string;
let b: string;
let c: string;
let foreignRun: string;

const compare = (runIds: string[], who: ActorUser = owner) => callerFor(sessionOf(who)).compare.runs({ projectSlug: slug, runIds });

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("project.update"));
  slug = ctx.project.slug;
  const other = (await createExperiment({ ctx, input: { name: "other" } })).experimentId;

  a = (await createRun({ ctx, input: { runName: "alpha", tags: [{ key: "team", value: "fraud" }] } })).info.runId;
  await logBatch({
    ctx,
    input: {
      runId: a,
      params: [
        { key: "lr", value: "0.1" },
        { key: "optimizer", value: "adam" },
      ],
      metrics: [
        { key: "loss", value: 0.9, timestamp: 1, step: 0 },
        { key: "loss", value: 0.4, timestamp: 2, step: 1 },
        { key: "acc", value: 0.7, timestamp: 2, step: 1 },
      ],
    },
  });
  await setRunNotes({ ctx, input: { runId: a, content: "# Long notes are not sent to the compare page" } });

  b = (await createRun({ ctx, input: { runName: "beta", experimentId: other } })).info.runId;
  await logBatch({
    ctx,
    input: {
      runId: b,
      params: [
        { key: "lr", value: "0.01" },
        { key: "depth", value: "8" },
      ],
      metrics: [
        { key: "loss", value: Number.NaN, timestamp: 3, step: 2 },
        { key: "f1", value: 0.5, timestamp: 3, step: 2 },
      ],
    },
  });

  c = (await createRun({ ctx, input: { runName: "gamma" } })).info.runId;
  await logBatch({ ctx, input: { runId: c, params: [{ key: "lr", value: "0.1" }] } });
  await deleteRun({ ctx, input: { runId: c } });

  const elsewhere = await projectContext();
  foreignRun = (await createRun({ ctx: elsewhere.ctx, input: { runName: "theirs" } })).info.runId;
});

describe("compare.runs", () => {
  it("returns each run's attributes, params, latest metrics and tags, in the order asked for", async () => {
    const reply = await compare([b, a]);
    expect(reply.runs.map((r) => r.runName)).toEqual(["beta", "alpha"]);
    const [beta, alpha] = reply.runs;
    expect(alpha).toMatchObject({ runId: a, experimentId: "0", experimentName: "Default", status: "RUNNING", lifecycleStage: "active" });
    expect(beta!.experimentName).toBe("other");
    expect(alpha!.params.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: "lr", value: "0.1" },
      { key: "optimizer", value: "adam" },
    ]);
    expect(alpha!.metrics.find((m) => m.key === "loss")).toEqual({ key: "loss", value: 0.4, step: 1, min: 0.4, max: 0.9, count: 2 });
    expect(Number.isNaN(beta!.metrics.find((m) => m.key === "loss")!.value)).toBe(true);
    expect(alpha!.tags).toContainEqual({ key: "team", value: "fraud" });
    expect(alpha!.tags).toContainEqual({ key: "mlflow.runName", value: "alpha" });
    expect(alpha!.tags.some((t) => t.key === "mlflow.note.content")).toBe(false);
  });

  it("returns the union of keys with how many runs carry each", async () => {
    const reply = await compare([a, b]);
    expect(reply.paramKeys).toEqual([
      { key: "depth", runCount: 1 },
      { key: "lr", runCount: 2 },
      { key: "optimizer", runCount: 1 },
    ]);
    expect(reply.metricKeys).toEqual([
      { key: "acc", runCount: 1 },
      { key: "f1", runCount: 1 },
      { key: "loss", runCount: 2 },
    ]);
    expect(reply.tagKeys).toContainEqual({ key: "team", runCount: 1 });
    expect(reply.tagKeys).toContainEqual({ key: "mlflow.runName", runCount: 2 });
  });

  it("includes deleted runs, marked as such, and the project's primary metric", async () => {
    await setPrimaryMetric({ ctx, input: { key: "loss", goal: "min" } });
    const reply = await compare([a, c]);
    expect(reply.runs[1]).toMatchObject({ runName: "gamma", lifecycleStage: "deleted" });
    expect(reply.primaryMetric).toEqual({ key: "loss", goal: "min" });
  });

  it("survives the trip to the browser with NaN intact", async () => {
    const reply = superjson.parse<CompareReply>(superjson.stringify(await compare([a, b])));
    expect(Number.isNaN(reply.runs[1]!.metrics.find((m) => m.key === "loss")!.value)).toBe(true);
  });

  it("is open to viewers", async () => {
    const viewer = await makeUser();
    await addMember(ctx.project.id, viewer, "viewer");
    expect((await compare([a, b], viewer)).runs).toHaveLength(2);
  });

  it("refuses a run of another project with NOT_FOUND, naming it", async () => {
    expect(await outcome(() => compare([a, foreignRun]))).toBe("NOT_FOUND");
    await expect(compare([a, foreignRun])).rejects.toThrow(foreignRun);
  });

  it("refuses unknown and malformed run ids with NOT_FOUND", async () => {
    expect(await outcome(() => compare([a, "0123456789abcdef0123456789abcdef"]))).toBe("NOT_FOUND");
    expect(await outcome(() => compare([a, "not-a-run"]))).toBe("NOT_FOUND");
  });

  it("needs two different runs and at most a hundred", async () => {
    expect(await outcome(() => compare([a]))).toBe("BAD_REQUEST");
    expect(await outcome(() => compare([a, a]))).toBe("BAD_REQUEST");
    const dashed = a.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
    expect(await outcome(() => compare([a, dashed.toUpperCase()]))).toBe("BAD_REQUEST");
    expect(await outcome(() => compare(Array.from({ length: COMPARE_MAX_RUNS + 1 }, () => a)))).toBe("BAD_REQUEST");
  });

  it("answers a hundred runs correctly", async () => {
    const { ctx: big } = await projectContext();
    const ids: string[] = [];
    for (let i = 0; i < COMPARE_MAX_RUNS; i++) {
      const runId = (await createRun({ ctx: big, input: { runName: `run-${i}`, tags: [{ key: "fold", value: String(i % 5) }] } })).info.runId;
      await logBatch({
        ctx: big,
        input: {
          runId,
          params: [{ key: "seed", value: String(i) }, { key: "shared", value: "same" }, ...(i % 2 ? [{ key: "odd", value: "yes" }] : [])],
          metrics: [
            { key: "score", value: i / 100, timestamp: 1, step: 0 },
            { key: "score", value: i, timestamp: 2, step: 1 },
            ...(i % 10 === 0 ? [{ key: "rare", value: -i, timestamp: 1, step: 0 }] : []),
          ],
        },
      });
      ids.push(runId);
    }
    const shuffled = [...ids].reverse();
    const reply = await callerFor(sessionOf((big.actor as { user: ActorUser }).user)).compare.runs({ projectSlug: big.project.slug, runIds: shuffled });
    expect(reply.runs.map((r) => r.runId)).toEqual(shuffled);
    for (const run of reply.runs) {
      const i = Number(run.runName.slice("run-".length));
      expect(run.runId).toBe(ids[i]);
      expect(Object.fromEntries(run.params.map((p) => [p.key, p.value]))).toEqual({ seed: String(i), shared: "same", ...(i % 2 ? { odd: "yes" } : {}) });
      expect(run.metrics.find((m) => m.key === "score")).toMatchObject({ value: i, step: 1, min: Math.min(i, i / 100), max: i, count: 2 });
      expect(run.metrics.some((m) => m.key === "rare")).toBe(i % 10 === 0);
      expect(run.tags).toContainEqual({ key: "fold", value: String(i % 5) });
    }
    expect(reply.paramKeys).toEqual([
      { key: "odd", runCount: 50 },
      { key: "seed", runCount: 100 },
      { key: "shared", runCount: 100 },
    ]);
    expect(reply.metricKeys).toEqual([
      { key: "rare", runCount: 10 },
      { key: "score", runCount: 100 },
    ]);
  }, 120_000);
});
