import { and, count, desc, eq, isNull, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { experiments, metricSeries, runs, runTags } from "../../db/schema";
import { inTransaction } from "../../context";
import { parseInput } from "../../errors";
import { activeRun, runById, runIdField, runIdInput, upsertRunTags } from "./runs";

export const listExperimentsInput = z.object({ includeDeleted: z.boolean().default(false) });

/** The project's experiments with their active run counts and last activity, for pages. */
export async function listExperiments({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof listExperimentsInput> }) {
  const { includeDeleted } = parseInput(listExperimentsInput, input);
  const rows = await ctx.db
    .select({
      experimentId: experiments.number,
      name: experiments.name,
      deletedAt: experiments.deletedAt,
      createdAt: experiments.createdAt,
      runCount: count(runs.id),
      lastRunStart: max(runs.startTime),
      lastRunEnd: max(runs.endTime),
    })
    .from(experiments)
    .leftJoin(runs, and(eq(runs.experimentId, experiments.id), isNull(runs.deletedAt)))
    .where(and(eq(experiments.projectId, ctx.project.id), includeDeleted ? undefined : isNull(experiments.deletedAt)))
    .groupBy(experiments.id)
    .orderBy(desc(sql`coalesce(greatest(max(${runs.startTime}), max(${runs.endTime})), (extract(epoch from ${experiments.createdAt}) * 1000)::bigint)`));
  return rows.map((r) => ({
    experimentId: String(r.experimentId),
    name: r.name,
    deleted: Boolean(r.deletedAt),
    runCount: r.runCount,
    lastActivity: Math.max(Number(r.lastRunStart ?? 0), Number(r.lastRunEnd ?? 0)) || r.createdAt.getTime(),
  }));
}

export const NOTE_TAG = "mlflow.note.content";

export const setNotesInput = z.object({ runId: runIdField, content: z.string().max(100_000, "Notes are limited to 100,000 characters") });

/** Run notes are markdown kept in MLflow's `mlflow.note.content` tag, so MLflow clients see them too. */
export async function setRunNotes({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof setNotesInput> }) {
  const { runId, content } = parseInput(setNotesInput, input);
  const run = await activeRun(ctx, runId);
  await inTransaction(ctx, async (tx) => {
    if (content.trim()) await upsertRunTags(tx, run.id, [{ key: NOTE_TAG, value: content }]);
    else await tx.db.delete(runTags).where(and(eq(runTags.runId, run.id), eq(runTags.key, NOTE_TAG)));
  });
}

/** Each metric of a run with its latest value, min, max and number of points. */
export async function runMetricSummaries({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runIdInput> }) {
  const { runId } = parseInput(runIdInput, input);
  const run = await runById(ctx, runId);
  return ctx.db
    .select({
      key: metricSeries.key,
      latest: metricSeries.value,
      step: metricSeries.step,
      timestamp: metricSeries.timestamp,
      min: metricSeries.min,
      max: metricSeries.max,
      count: metricSeries.count,
    })
    .from(metricSeries)
    .where(eq(metricSeries.runId, run.id))
    .orderBy(metricSeries.key);
}
