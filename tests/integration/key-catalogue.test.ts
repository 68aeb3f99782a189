import { readFileSync } from "node:fs";
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { experimentKeys, experiments } from "../../server/db/schema";
import { createExperiment } from "../../server/services/tracking/experiments";
import { catalogueExperiment, runColumns } from "../../server/services/tracking/key-catalogue";
import { logBatch, logMetric, logParam } from "../../server/services/tracking/logging";
import { createRun, deleteRunTag, setRunTag, updateRun } from "../../server/services/tracking/runs";
import { projectContext } from "../support/factories";

/** The catalogue of the project's experiments as `experiment number kind key` lines, sorted. */
async function catalogueOf(ctx: ProjectContext): Promise<string[]> {
  const rows = await getDb()
    .select({ number: experiments.number, kind: experimentKeys.kind, key: experimentKeys.key })
    .from(experimentKeys)
    .innerJoin(experiments, eq(experiments.id, experimentKeys.experimentId))
    .where(eq(experiments.projectId, ctx.project.id))
    .orderBy(asc(experiments.number), asc(experimentKeys.kind), asc(experimentKeys.key));
  return rows.map((r) => `${r.number} ${r.kind} ${r.key}`);
}

const newRun = async (ctx: ProjectContext, experimentId = "0", tags: { key: string; value: string }[] = []) =>
  (await createRun({ ctx, input: { experimentId, tags } })).info.runId;

/** The statement of migration 0012 that filled the catalogue from the keys logged before it. */
const backfill = readFileSync("drizzle/0012_experiment_keys.sql", "utf8").split("--> statement-breakpoint").at(-1)!;

describe("the key catalogue", () => {
  it("holds every key logged through any door, per experiment, and nothing of another project", async () => {
    const { ctx } = await projectContext();
    const { experimentId: other } = await createExperiment({ ctx, input: { name: "other" } });
    const a = await newRun(ctx, "0", [{ key: "team", value: "nlp" }]);
    await logBatch({
      ctx,
      input: {
        runId: a,
        metrics: [{ key: "train/loss", value: 1, timestamp: 1, step: 0 }],
        params: [{ key: "lr", value: "0.1" }],
        tags: [{ key: "stage", value: "x" }],
      },
    });
    await logMetric({ ctx, input: { runId: a, key: "val/acc", value: 0.5, timestamp: 1 } });
    await logParam({ ctx, input: { runId: a, key: "seed", value: "7" } });
    await setRunTag({ ctx, input: { runId: a, key: "owner", value: "ada" } });
    const b = await newRun(ctx, other);
    await logMetric({ ctx, input: { runId: b, key: "train/loss", value: 2, timestamp: 1 } });
    await updateRun({ ctx, input: { runId: b, runName: "renamed" } });

    const elsewhere = await projectContext();
    const c = await newRun(elsewhere.ctx);
    await logBatch({
      ctx: elsewhere.ctx,
      input: { runId: c, metrics: [{ key: "secret/metric", value: 1, timestamp: 1 }], params: [{ key: "secret", value: "1" }] },
    });

    expect(await catalogueOf(ctx)).toEqual([
      "0 metrics train/loss",
      "0 metrics val/acc",
      "0 params lr",
      "0 params seed",
      "0 tags mlflow.runName",
      "0 tags owner",
      "0 tags stage",
      "0 tags team",
      "1 metrics train/loss",
      "1 tags mlflow.runName",
    ]);
    const columns = await runColumns({ ctx, input: {} });
    expect(columns.metrics).toEqual({ keys: ["train/loss", "val/acc"], total: 2 });
    expect(columns.params.keys).toEqual(["lr", "seed"]);
    expect(columns.tags.keys).toEqual(["owner", "stage", "team", "mlflow.runName"]);
    expect((await runColumns({ ctx, input: { experimentIds: [other] } })).metrics.keys).toEqual(["train/loss"]);
    expect((await runColumns({ ctx: elsewhere.ctx, input: { search: "loss" } })).metrics.keys).toEqual([]);
  });

  it("adds no key for a batch that is refused, and keeps a key whose tag was deleted", async () => {
    const { ctx } = await projectContext();
    const run = await newRun(ctx);
    await logParam({ ctx, input: { runId: run, key: "lr", value: "0.1" } });
    const refused = logBatch({
      ctx,
      input: {
        runId: run,
        metrics: [{ key: "never/logged", value: 1, timestamp: 1 }],
        params: [{ key: "lr", value: "0.2" }],
        tags: [{ key: "never", value: "x" }],
      },
    });
    await expect(refused).rejects.toThrow(/Changing param values is not allowed/);
    await setRunTag({ ctx, input: { runId: run, key: "note", value: "x" } });
    await deleteRunTag({ ctx, input: { runId: run, key: "note" } });
    expect(await catalogueOf(ctx)).toEqual(["0 params lr", "0 tags mlflow.runName", "0 tags note"]);
  });

  it("equals the catalogue rebuilt from the logged data, by the migration and for seeds", async () => {
    const { ctx } = await projectContext();
    const { experimentId: other } = await createExperiment({ ctx, input: { name: "other" } });
    for (const [i, experiment] of ["0", other, other].entries()) {
      const run = await newRun(ctx, experiment, [{ key: `t${i}`, value: "v" }]);
      await logBatch({
        ctx,
        input: {
          runId: run,
          metrics: Array.from({ length: 30 }, (_, k) => ({ key: `layer${k % (5 + i)}/m${k}`, value: k, timestamp: 1, step: i })),
          params: [{ key: `p${i % 2}`, value: "1" }],
        },
      });
    }
    const kept = await catalogueOf(ctx);
    expect(kept.length).toBeGreaterThan(60);
    const ids = (await getDb().select({ id: experiments.id }).from(experiments).where(eq(experiments.projectId, ctx.project.id))).map((e) => e.id);

    await getDb().delete(experimentKeys);
    await getDb().execute(sql.raw(backfill));
    expect(await catalogueOf(ctx)).toEqual(kept);

    await getDb().delete(experimentKeys);
    for (const id of ids) await catalogueExperiment(getDb(), id);
    expect(await catalogueOf(ctx)).toEqual(kept);
  });

  it("takes the first batches of runs logging the same new keys in opposite orders at once", async () => {
    const { ctx } = await projectContext();
    const logged: string[] = [];
    // Fresh keys each round; with the catalogue insert unsorted, PostgreSQL detected a deadlock in
    // each of three tries of these four rounds.
    for (let round = 0; round < 4; round++) {
      const keys = Array.from({ length: 400 }, (_, k) => `grad${round}/layer${String(k).padStart(3, "0")}`);
      const runIds = await Promise.all(Array.from({ length: 6 }, () => newRun(ctx)));
      const batches = runIds.map((runId, r) =>
        logBatch({ ctx, input: { runId, metrics: (r % 2 ? [...keys].reverse() : keys).map((key) => ({ key, value: r, timestamp: 1, step: 0 })) } }),
      );
      const settled = await Promise.allSettled(batches);
      expect(settled.filter((s) => s.status === "rejected")).toEqual([]);
      logged.push(...keys);
    }
    expect((await runColumns({ ctx, input: { limit: 10_000 } })).metrics.keys).toEqual(logged);
  });
});
