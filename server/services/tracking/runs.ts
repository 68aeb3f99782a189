import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../../access/actor";
import { inTransaction, memoised, type ProjectContext, type ServiceContext } from "../../context";
import { datasets, experiments, metricSeries, runInputs, runModels, runParams, RUN_STATUSES, runTags, runs } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { signal } from "../events";
import { experimentById, lastWins } from "./experiments";
import { runArtifactUri, runIdOf, uuidOfRunId } from "./ids";
import { int64, keyField, LIMITS, valueField } from "./limits";
import { catalogueKeys } from "./key-catalogue";
import { randomRunName } from "./run-names";

export type RunStatus = (typeof RUN_STATUSES)[number];
export type KeyValue = { key: string; value: string };
export type MetricValue = { key: string; value: number; timestamp: number; step: number };

export type RunInfo = {
  runId: string;
  /** MLflow's deprecated name for run_id, still read by older clients. */
  runUuid: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: "active" | "deleted";
};

export type Run = {
  info: RunInfo;
  data: { metrics: MetricValue[]; params: KeyValue[]; tags: KeyValue[] };
  inputs: {
    datasetInputs: { tags: KeyValue[]; dataset: DatasetRecord }[];
    modelInputs: { modelId: string }[];
  };
  outputs: { modelOutputs: { modelId: string; step: number }[] };
};

export type DatasetRecord = {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
};

export type RunRow = typeof runs.$inferSelect & { experimentNumber: number };

export const RUN_NAME_TAG = "mlflow.runName";
export const USER_TAG = "mlflow.user";

export const runTagInput = z.object({ key: keyField("Tag"), value: valueField("Tag", LIMITS.runTagValueLength) });
export const runIdField = z.string({ error: "run_id is required" }).min(1, "run_id is required").max(100);

/** Loads a run of the project (memoised per request); a run of another project is simply not found. */
export async function runById(ctx: ProjectContext, runId: string): Promise<RunRow> {
  const uuid = uuidOfRunId(runId);
  if (!uuid) throw notFound(`Run '${runId}' not found`);
  return memoised(ctx, `run:${uuid}`, async () => {
    const [row] = await ctx.db
      .select({ run: runs, experimentNumber: experiments.number })
      .from(runs)
      .innerJoin(experiments, eq(experiments.id, runs.experimentId))
      .where(and(eq(runs.id, uuid), eq(runs.projectId, ctx.project.id)));
    if (!row) throw notFound(`Run '${runId}' not found`);
    return { ...row.run, experimentNumber: row.experimentNumber };
  });
}

/**
 * Several runs of the project in one query, in the order asked (a chart or comparison of a hundred
 * runs would otherwise cost a hundred round trips). The first id not found in the project is a 404.
 */
export async function runsById(ctx: ProjectContext, runIds: readonly string[]): Promise<RunRow[]> {
  const uuids = runIds.map((runId) => {
    const uuid = uuidOfRunId(runId);
    if (!uuid) throw notFound(`Run '${runId}' not found`);
    return uuid;
  });
  const rows = uuids.length
    ? await ctx.db
        .select({ run: runs, experimentNumber: experiments.number })
        .from(runs)
        .innerJoin(experiments, eq(experiments.id, runs.experimentId))
        .where(and(inArray(runs.id, uuids), eq(runs.projectId, ctx.project.id)))
    : [];
  const byId = new Map(rows.map((row) => [row.run.id, { ...row.run, experimentNumber: row.experimentNumber }]));
  return uuids.map((uuid, i) => {
    const run = byId.get(uuid);
    if (!run) throw notFound(`Run '${runIds[i]}' not found`);
    return run;
  });
}

/** A run that may still be written to; logging to a deleted run is a client error. */
export async function activeRun(ctx: ProjectContext, runId: string): Promise<RunRow> {
  const run = await runById(ctx, runId);
  if (run.deletedAt) throw invalid(`The run ${runId} must be in the 'active' state; it is deleted`);
  return run;
}

export function runInfoOf(row: RunRow): RunInfo {
  return {
    runId: runIdOf(row.id),
    runUuid: runIdOf(row.id),
    runName: row.name,
    experimentId: String(row.experimentNumber),
    userId: row.userName,
    status: row.status,
    startTime: row.startTime,
    endTime: row.endTime,
    artifactUri: row.artifactUri,
    lifecycleStage: row.deletedAt ? "deleted" : "active",
  };
}

/** Turns run rows into full MLflow runs: five queries for any number of runs. */
export async function presentRuns(ctx: ServiceContext, rows: RunRow[], options: { latestMetrics?: boolean } = {}): Promise<Run[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [params, tags, metrics, inputs, models] = await Promise.all([
    ctx.db.select().from(runParams).where(inArray(runParams.runId, ids)),
    ctx.db.select().from(runTags).where(inArray(runTags.runId, ids)),
    options.latestMetrics === false
      ? []
      : ctx.db
          .select({
            runId: metricSeries.runId,
            key: metricSeries.key,
            value: metricSeries.value,
            step: metricSeries.step,
            timestamp: metricSeries.timestamp,
          })
          .from(metricSeries)
          .where(inArray(metricSeries.runId, ids)),
    ctx.db
      .select({ runId: runInputs.runId, tags: runInputs.tags, dataset: datasets })
      .from(runInputs)
      .innerJoin(datasets, eq(datasets.id, runInputs.datasetId))
      .where(inArray(runInputs.runId, ids)),
    ctx.db.select().from(runModels).where(inArray(runModels.runId, ids)),
  ]);
  const byRun = <T extends { runId: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(item.runId);
      if (list) list.push(item);
      else map.set(item.runId, [item]);
    }
    return map;
  };
  const [paramsBy, tagsBy, metricsBy, inputsBy, modelsBy] = [byRun(params), byRun(tags), byRun(metrics), byRun(inputs), byRun(models)];
  return rows.map((row) => ({
    info: runInfoOf(row),
    data: {
      metrics: (metricsBy.get(row.id) ?? []).map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })),
      params: (paramsBy.get(row.id) ?? []).map(({ key, value }) => ({ key, value })),
      tags: (tagsBy.get(row.id) ?? []).map(({ key, value }) => ({ key, value })),
    },
    inputs: {
      datasetInputs: (inputsBy.get(row.id) ?? []).map(({ tags: inputTags, dataset }) => ({
        tags: inputTags,
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          sourceType: dataset.sourceType,
          source: dataset.source,
          schema: dataset.schema,
          profile: dataset.profile,
        },
      })),
      modelInputs: (modelsBy.get(row.id) ?? []).filter((m) => m.direction === "input").map(({ modelId }) => ({ modelId })),
    },
    outputs: {
      modelOutputs: (modelsBy.get(row.id) ?? []).filter((m) => m.direction === "output").map(({ modelId, step }) => ({ modelId, step })),
    },
  }));
}

export const runIdInput = z.object({ runId: runIdField });

export const getRunInput = runIdInput.extend({
  /** MLflow's `data.metrics` (each key's latest value); a page that reads the metric summaries instead leaves them out. */
  latestMetrics: z.boolean().default(true),
});

export async function getRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof getRunInput> }): Promise<Run> {
  const { runId, latestMetrics } = parseInput(getRunInput, input);
  const [run] = await presentRuns(ctx, [await runById(ctx, runId)], { latestMetrics });
  return run!;
}

export const createRunInput = z.object({
  experimentId: z.union([z.string(), z.number()]).transform(String).default("0"),
  userId: z.string().max(250).optional(),
  runName: z.string().trim().max(LIMITS.runNameLength, `Run name exceeds the ${LIMITS.runNameLength}-character limit`).optional(),
  startTime: int64.optional(),
  tags: z.array(runTagInput).max(LIMITS.batchTags, `At most ${LIMITS.batchTags} tags`).default([]),
});

/**
 * Starts a run. Its name comes from `run_name`, else the `mlflow.runName` tag, else a generated
 * one, and the tag is always written so the two agree. Records which person and token created it.
 */
export async function createRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createRunInput> }): Promise<Run> {
  const data = parseInput(createRunInput, input);
  const experiment = await experimentById(ctx, data.experimentId);
  if (experiment.deletedAt) throw invalid(`Experiment '${experiment.name}' is deleted; runs cannot be created in it`);
  const tags = lastWins(data.tags);
  const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (data.runName && tagName && data.runName !== tagName) {
    throw invalid(`Both run_name ('${data.runName}') and the ${RUN_NAME_TAG} tag ('${tagName}') were set, to different values`);
  }
  const name = data.runName || tagName || randomRunName();
  const id = randomUUID();
  const actor = ctx.actor.kind === "user" ? ctx.actor : null;
  const userName = data.userId || tags.find((t) => t.key === USER_TAG)?.value || actorLabel(ctx.actor);

  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(runs)
      .values({
        id,
        projectId: ctx.project.id,
        experimentId: experiment.id,
        name,
        startTime: data.startTime ?? Date.now(),
        userName,
        createdBy: actor?.user.id ?? null,
        createdByToken: actor?.via === "token" ? actor.token.id : null,
        artifactUri: experiment.artifactLocation.startsWith("mlflow-artifacts:")
          ? runArtifactUri(experiment.number, id)
          : `${experiment.artifactLocation.replace(/\/+$/, "")}/${runIdOf(id)}/artifacts`,
      })
      .returning();
    const allTags = lastWins([...tags, { key: RUN_NAME_TAG, value: name }]);
    await tx.db.insert(runTags).values(allTags.map((t) => ({ runId: id, ...t })));
    await catalogueKeys(
      tx,
      "tags",
      id,
      allTags.map((t) => t.key),
    );
    const [run] = await presentRuns(tx, [{ ...row!, experimentNumber: experiment.number }]);
    return run!;
  });
}

export const updateRunInput = runIdInput.extend({
  status: z.enum(RUN_STATUSES, { error: `status must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
  endTime: int64.optional(),
  runName: z.string().trim().max(LIMITS.runNameLength).optional(),
});

/** Ends or renames a run; a new name is mirrored into the mlflow.runName tag. */
export async function updateRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateRunInput> }): Promise<RunInfo> {
  const data = parseInput(updateRunInput, input);
  const run = await activeRun(ctx, data.runId);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(runs)
      .set({
        ...(data.status && { status: data.status }),
        ...(data.endTime !== undefined && { endTime: data.endTime }),
        ...(data.runName && { name: data.runName }),
        updatedAt: new Date(),
      })
      .where(and(eq(runs.id, run.id), eq(runs.projectId, ctx.project.id)))
      .returning();
    if (data.runName) await upsertRunTags(tx, run.id, [{ key: RUN_NAME_TAG, value: data.runName }]);
    if (data.status) await signal(tx, "evidence.changed", { runUuid: run.id });
    return runInfoOf({ ...row!, experimentNumber: run.experimentNumber });
  });
}

/** Upserts tags; the mlflow.runName tag also renames the run. */
export async function upsertRunTags(ctx: ServiceContext, runUuid: string, tags: KeyValue[]): Promise<void> {
  if (!tags.length) return;
  const unique = lastWins(tags);
  await ctx.db
    .insert(runTags)
    .values(unique.map((t) => ({ runId: runUuid, ...t })))
    .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: sql`excluded.value` } });
  await catalogueKeys(
    ctx,
    "tags",
    runUuid,
    unique.map((t) => t.key),
  );
  const rename = unique.find((t) => t.key === RUN_NAME_TAG);
  if (rename) await ctx.db.update(runs).set({ name: rename.value }).where(eq(runs.id, runUuid));
}

export const setRunTagInput = runIdInput.extend(runTagInput.shape);

export async function setRunTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof setRunTagInput> }) {
  const { runId, key, value } = parseInput(setRunTagInput, input);
  const run = await activeRun(ctx, runId);
  await inTransaction(ctx, async (tx) => {
    await upsertRunTags(tx, run.id, [{ key, value }]);
    await signal(tx, "evidence.changed", { runUuid: run.id });
  });
}

export const deleteRunTagInput = runIdInput.extend({ key: z.string().min(1, "key is required") });

export async function deleteRunTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof deleteRunTagInput> }) {
  const { runId, key } = parseInput(deleteRunTagInput, input);
  const run = await activeRun(ctx, runId);
  await inTransaction(ctx, async (tx) => {
    const deleted = await tx.db
      .delete(runTags)
      .where(and(eq(runTags.runId, run.id), eq(runTags.key, key)))
      .returning({ key: runTags.key });
    if (!deleted.length) throw notFound(`No tag '${key}' on run ${runId}`);
    await signal(tx, "evidence.changed", { runUuid: run.id });
  });
}

async function setRunDeleted(ctx: ProjectContext, runId: string, deleted: boolean) {
  const run = await runById(ctx, runId);
  if (Boolean(run.deletedAt) === deleted) return;
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .update(runs)
      .set({ deletedAt: deleted ? new Date() : null })
      .where(and(eq(runs.id, run.id), eq(runs.projectId, ctx.project.id)));
    await recordAudit(tx, {
      project: ctx.project,
      action: deleted ? "run.delete" : "run.restore",
      target: { type: "run", id: runIdOf(run.id) },
      before: { name: run.name },
    });
  });
}

/** Soft-deletes a run; its data and artifacts are purged after the retention period. */
export async function deleteRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runIdInput> }) {
  const { runId } = parseInput(runIdInput, input);
  await setRunDeleted(ctx, runId, true);
}

export async function restoreRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runIdInput> }) {
  const { runId } = parseInput(runIdInput, input);
  const run = await runById(ctx, runId);
  const [experiment] = await ctx.db.select({ deletedAt: experiments.deletedAt }).from(experiments).where(eq(experiments.id, run.experimentId));
  if (experiment?.deletedAt) throw invalid("The run's experiment is deleted; restore the experiment instead");
  await setRunDeleted(ctx, runId, false);
}
