import { eq, inArray, lt, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { liftStatementTimeout, type Database } from "../../db/client";
import { experiments, metricPoints, metricRollups, metricSeries, runs } from "../../db/schema";
import { getArtifactStore } from "../../storage";
import { runIdOf } from "./ids";

/**
 * Permanently removes runs deleted before `before`: their metric history, rows and artifact files,
 * a batch at a time. Safe to run from several instances at once (each batch skips rows another
 * instance is purging).
 */
export async function purgeDeletedRuns(ctx: ServiceContext, before: Date, batchSize = 50): Promise<{ runs: number }> {
  let purged = 0;
  for (;;) {
    const batch = await ctx.db.transaction(async (tx) => {
      const doomed = await tx
        .select({ id: runs.id, projectId: runs.projectId, experimentNumber: experiments.number })
        .from(runs)
        .innerJoin(experiments, eq(experiments.id, runs.experimentId))
        .where(lt(runs.deletedAt, before))
        .limit(batchSize)
        .for("update", { of: runs, skipLocked: true });
      if (!doomed.length) return doomed;
      // A batch's history may be millions of points: more than a request's time limit.
      await liftStatementTimeout(tx);
      await deleteMetricPoints(
        tx,
        inArray(
          metricSeries.runId,
          doomed.map((r) => r.id),
        ),
      );
      await tx.delete(runs).where(
        inArray(
          runs.id,
          doomed.map((r) => r.id),
        ),
      );
      return doomed;
    });
    if (!batch.length) return { runs: purged };
    // Files go after the rows: a crash in between leaves unreachable files, never dangling rows.
    for (const run of batch) await getArtifactStore().delete(`projects/${run.projectId}/${run.experimentNumber}/${runIdOf(run.id)}`);
    purged += batch.length;
  }
}

/** Metric points and rollups have no foreign key (to keep ingest fast), so whoever deletes series deletes them. */
async function deleteMetricPoints(db: Database, seriesFilter: SQL) {
  const doomed = db.select({ id: metricSeries.id }).from(metricSeries).where(seriesFilter);
  await db.delete(metricRollups).where(inArray(metricRollups.seriesId, doomed));
  await db.delete(metricPoints).where(inArray(metricPoints.seriesId, doomed));
}

/** A deleted project's metric history and rollups (its rows cascade with the project). */
export async function deleteProjectMetricPoints(db: Database, projectId: string) {
  await deleteMetricPoints(db, inArray(metricSeries.runId, db.select({ id: runs.id }).from(runs).where(eq(runs.projectId, projectId))));
}

/** A deleted project's files. */
export async function deleteProjectArtifacts(projectId: string) {
  await getArtifactStore().delete(`projects/${projectId}`);
}
