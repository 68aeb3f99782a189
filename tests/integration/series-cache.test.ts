import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inTransaction, type ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { uuidOfRunId } from "../../server/services/tracking/ids";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, deleteRun, restoreRun } from "../../server/services/tracking/runs";
import { rememberedSeries } from "../../server/services/tracking/series-cache";
import { projectContext } from "../support/factories";

// Each call gets a context of its own, as each request does: the run lookup is memoised per context.
const fresh = (ctx: ProjectContext): ProjectContext => ({ ...ctx, memo: new Map() });

const point = (step: number) => ({ key: "loss", value: step, timestamp: 1, step });

/** Points stored in the run's series, counted through the series rows. */
async function pointsOf(runId: string): Promise<number> {
  const [row] = await getDb().execute<{ n: number }>(
    sql`select count(*)::int as n from metric_points p join metric_series s on s.id = p.series_id where s.run_id = ${uuidOfRunId(runId)}::uuid`,
  );
  return row!.n;
}

describe("remembered series ids", () => {
  it("are remembered only once the batch that created them has committed", async () => {
    const { ctx } = await projectContext();
    const { runId } = (await createRun({ ctx, input: { experimentId: "0" } })).info;
    await expect(
      inTransaction(fresh(ctx), async (tx) => {
        await logBatch({ ctx: tx, input: { runId, metrics: [point(0)] } });
        throw new Error("the caller's transaction fails after the batch");
      }),
    ).rejects.toThrow(/fails after the batch/);
    expect(rememberedSeries(uuidOfRunId(runId)!, ["loss"])).toBeNull();

    await logBatch({ ctx: fresh(ctx), input: { runId, metrics: [point(1)] } });
    expect(rememberedSeries(uuidOfRunId(runId)!, ["loss"])).not.toBeNull();
    await logBatch({ ctx: fresh(ctx), input: { runId, metrics: [point(2)] } });
    expect(await pointsOf(runId)).toBe(2);
  });

  it("admit a batch only for an active run of the caller's project", async () => {
    const { ctx } = await projectContext();
    const { runId } = (await createRun({ ctx, input: { experimentId: "0" } })).info;
    await logBatch({ ctx: fresh(ctx), input: { runId, metrics: [point(0)] } });
    // The batches below take the remembered path: every key's id is known.
    expect(rememberedSeries(uuidOfRunId(runId)!, ["loss"])).not.toBeNull();

    const hostile = await projectContext();
    await expect(logBatch({ ctx: hostile.ctx, input: { runId, metrics: [point(1)] } })).rejects.toMatchObject({ kind: "not_found" });
    expect(await pointsOf(runId)).toBe(1);

    await deleteRun({ ctx: fresh(ctx), input: { runId } });
    await expect(logBatch({ ctx: fresh(ctx), input: { runId, metrics: [point(2)] } })).rejects.toThrow(/must be in the 'active' state; it is deleted/);
    expect(await pointsOf(runId)).toBe(1);

    await restoreRun({ ctx: fresh(ctx), input: { runId } });
    await logBatch({ ctx: fresh(ctx), input: { runId, metrics: [point(3)] } });
    expect(await pointsOf(runId)).toBe(2);
  });
});
