import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { datasets, loggedModels, runInputs, runModels } from "../../db/schema";
import { notFound, parseInput } from "../../errors";
import { int64 } from "./limits";
import { activeRun, runIdField } from "./runs";

const tag = z.object({ key: z.string().min(1).max(255), value: z.string().max(500) });

const datasetInput = z.object({
  tags: z.array(tag).max(10).default([]),
  dataset: z.object({
    name: z.string({ error: "dataset.name is required" }).min(1, "dataset.name is required").max(500),
    digest: z.string({ error: "dataset.digest is required" }).min(1, "dataset.digest is required").max(36, "dataset.digest exceeds 36 characters"),
    sourceType: z.string({ error: "dataset.source_type is required" }).min(1).max(64),
    source: z.string({ error: "dataset.source is required" }).max(65_535),
    schema: z.string().max(1_048_576).nullish(),
    profile: z.string().max(16_384).nullish(),
  }),
});

export const logInputsInput = z.object({
  runId: runIdField,
  datasets: z.array(datasetInput).max(1000).default([]),
  models: z
    .array(z.object({ modelId: z.string().min(1) }))
    .max(1000)
    .default([]),
});

/**
 * Records the datasets (and MLflow 3 models) a run consumed. A dataset is stored once per project
 * by (name, digest) and shared by every run that logs it: that is the lineage from data to runs.
 */
export async function logInputs({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logInputsInput> }) {
  const data = parseInput(logInputsInput, input);
  const run = await activeRun(ctx, data.runId);
  await inTransaction(ctx, async (tx) => {
    for (const { dataset, tags } of data.datasets) {
      const [row] = await tx.db
        .insert(datasets)
        .values({ projectId: ctx.project.id, ...dataset, schema: dataset.schema ?? null, profile: dataset.profile ?? null })
        .onConflictDoUpdate({ target: [datasets.projectId, datasets.name, datasets.digest], set: { name: sql`excluded.name` } })
        .returning({ id: datasets.id });
      await tx.db
        .insert(runInputs)
        .values({ runId: run.id, datasetId: row!.id, tags })
        .onConflictDoUpdate({ target: [runInputs.runId, runInputs.datasetId], set: { tags } });
    }
    await linkModels(
      tx,
      run.id,
      data.models.map((m) => ({ modelId: m.modelId, step: 0 })),
      "input",
    );
  });
}

export const logOutputsInput = z.object({
  runId: runIdField,
  models: z
    .array(z.object({ modelId: z.string().min(1), step: int64.default(0) }))
    .max(1000)
    .default([]),
});

/** Links MLflow 3 logged models to the run that produced them (the client calls this in log_model). */
export async function logOutputs({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logOutputsInput> }) {
  const data = parseInput(logOutputsInput, input);
  const run = await activeRun(ctx, data.runId);
  await inTransaction(ctx, (tx) => linkModels(tx, run.id, data.models, "output"));
}

async function linkModels(ctx: ProjectContext, runUuid: string, models: { modelId: string; step: number }[], direction: "input" | "output") {
  if (!models.length) return;
  const ids = [...new Set(models.map((m) => m.modelId))];
  const known = await ctx.db
    .select({ id: loggedModels.id })
    .from(loggedModels)
    .where(and(eq(loggedModels.projectId, ctx.project.id), inArray(loggedModels.id, ids)));
  const missing = ids.filter((id) => !known.some((k) => k.id === id));
  if (missing.length) throw notFound(`Logged model '${missing[0]}' not found`);
  await ctx.db
    .insert(runModels)
    .values(models.map((m) => ({ runId: runUuid, modelId: m.modelId, step: m.step, direction })))
    .onConflictDoUpdate({ target: [runModels.runId, runModels.modelId, runModels.direction], set: { step: sql`excluded.step` } });
}
