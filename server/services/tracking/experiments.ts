import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import { inTransaction, memoised, type ProjectContext, type ServiceContext } from "../../context";
import { experimentTags, experiments, projects, runs } from "../../db/schema";
import { conflict, invalid, isUniqueViolation, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { experimentArtifactLocation, experimentNumberOf } from "./ids";
import { keyField, LIMITS, valueField } from "./limits";

export type Experiment = {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: "active" | "deleted";
  creationTime: number;
  lastUpdateTime: number;
  tags: { key: string; value: string }[];
};

export type ExperimentRow = typeof experiments.$inferSelect;

const nameField = z
  .string({ error: "Experiment name is required" })
  .trim()
  .min(1, "Experiment name must not be empty")
  .max(LIMITS.experimentNameLength, `Experiment name exceeds the ${LIMITS.experimentNameLength}-character limit`);

const tagInput = z.object({ key: keyField("Tag"), value: valueField("Tag", LIMITS.experimentTagValueLength) });

/** Every project starts with MLflow's Default experiment "0", where clients log without set_experiment. */
export async function createDefaultExperiment(ctx: ServiceContext, projectId: string): Promise<void> {
  await ctx.db.insert(experiments).values({
    projectId,
    number: 0,
    name: "Default",
    artifactLocation: experimentArtifactLocation(0),
  });
}

/** Loads an experiment of the project by its MLflow id (memoised per request). */
export async function experimentById(ctx: ProjectContext, experimentId: string | number): Promise<ExperimentRow> {
  const number = experimentNumberOf(experimentId);
  if (number === null) throw notFound(`No experiment with id '${experimentId}'`);
  return memoised(ctx, `experiment:${number}`, async () => {
    const [row] = await ctx.db
      .select()
      .from(experiments)
      .where(and(eq(experiments.projectId, ctx.project.id), eq(experiments.number, number)));
    if (!row) throw notFound(`No experiment with id '${experimentId}'`);
    return row;
  });
}

/** Turns rows into MLflow-shaped experiments with their tags (one query for all tags). */
export async function presentExperiments(ctx: ServiceContext, rows: ExperimentRow[]): Promise<Experiment[]> {
  const tags = rows.length
    ? await ctx.db
        .select()
        .from(experimentTags)
        .where(
          inArray(
            experimentTags.experimentId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return rows.map((row) => ({
    experimentId: String(row.number),
    name: row.name,
    artifactLocation: row.artifactLocation,
    lifecycleStage: row.deletedAt ? "deleted" : "active",
    creationTime: row.createdAt.getTime(),
    lastUpdateTime: row.updatedAt.getTime(),
    tags: tags.filter((t) => t.experimentId === row.id).map(({ key, value }) => ({ key, value })),
  }));
}

export const createExperimentInput = z.object({
  name: nameField,
  artifactLocation: z.string().max(2000).optional(),
  tags: z.array(tagInput).max(LIMITS.batchTags).default([]),
});

/**
 * Creates an experiment with the next number of the project. Its artifacts go through Cairn's proxy
 * unless the client names its own store (s3://, gs://…), which it then writes to directly.
 */
export async function createExperiment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createExperimentInput> }) {
  const data = parseInput(createExperimentInput, input);
  const custom = data.artifactLocation?.trim();
  if (custom && (custom.startsWith("mlflow-artifacts:") || custom.startsWith("runs:") || custom.includes(".."))) {
    throw invalid("artifact_location may only name an external store (for example s3://bucket/path); omit it to store artifacts in Cairn");
  }
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    // Serialises numbering per project; experiment creation is rare enough for a row lock.
    await tx.db.select({ id: projects.id }).from(projects).where(eq(projects.id, ctx.project.id)).for("update");
    const [{ next }] = (await tx.db
      .select({ next: sql<number>`coalesce(max(${experiments.number}), -1) + 1` })
      .from(experiments)
      .where(eq(experiments.projectId, ctx.project.id))) as [{ next: number }];
    let row: ExperimentRow;
    try {
      [row] = (await tx.db
        .insert(experiments)
        .values({
          projectId: ctx.project.id,
          number: Number(next),
          name: data.name,
          artifactLocation: custom || experimentArtifactLocation(Number(next)),
          createdBy: actor.user.id,
        })
        .returning()) as [ExperimentRow];
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(`Experiment '${data.name}' already exists`, { name: "An experiment with this name exists (perhaps deleted)" });
      }
      throw error;
    }
    if (data.tags.length) {
      await tx.db.insert(experimentTags).values(lastWins(data.tags).map((t) => ({ experimentId: row.id, ...t })));
    }
    return { experimentId: String(row.number) };
  });
}

/** Of repeated keys, the last value wins (as with MLflow's upserts). */
export function lastWins<T extends { key: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.key, item])).values()];
}

export const experimentIdInput = z.object({ experimentId: z.union([z.string(), z.number()]).transform(String) });

export async function getExperiment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentIdInput> }) {
  const { experimentId } = parseInput(experimentIdInput, input);
  const [experiment] = await presentExperiments(ctx, [await experimentById(ctx, experimentId)]);
  return experiment!;
}

export const experimentNameInput = z.object({ name: z.string().min(1, "experiment_name is required") });

/** Finds an experiment by name, deleted ones included (the client then refuses to use them). */
export async function getExperimentByName({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentNameInput> }) {
  const { name } = parseInput(experimentNameInput, input);
  const [row] = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.projectId, ctx.project.id), eq(experiments.name, name)));
  if (!row) throw notFound(`Could not find experiment with name '${name}'`);
  const [experiment] = await presentExperiments(ctx, [row]);
  return experiment!;
}

async function activeExperiment(ctx: ProjectContext, experimentId: string): Promise<ExperimentRow> {
  const row = await experimentById(ctx, experimentId);
  if (row.deletedAt) throw invalid(`Experiment '${row.name}' is deleted; restore it first`);
  return row;
}

export const renameExperimentInput = experimentIdInput.extend({ newName: nameField });

export async function renameExperiment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof renameExperimentInput> }) {
  const { experimentId, newName } = parseInput(renameExperimentInput, input);
  const row = await activeExperiment(ctx, experimentId);
  await inTransaction(ctx, async (tx) => {
    try {
      await tx.db
        .update(experiments)
        .set({ name: newName, updatedAt: new Date() })
        .where(and(eq(experiments.id, row.id), eq(experiments.projectId, ctx.project.id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Experiment '${newName}' already exists`, { newName: "An experiment with this name exists" });
      throw error;
    }
    await recordAudit(tx, {
      project: ctx.project,
      action: "experiment.rename",
      target: { type: "experiment", id: experimentId },
      before: { name: row.name },
      after: { name: newName },
    });
  });
}

/**
 * Soft-deletes an experiment and its active runs, stamping them with one time so that restoring
 * brings back exactly those runs (not the ones deleted on their own before).
 */
export async function deleteExperiment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentIdInput> }) {
  const { experimentId } = parseInput(experimentIdInput, input);
  const row = await experimentById(ctx, experimentId);
  if (row.number === 0) throw invalid("The Default experiment cannot be deleted");
  if (row.deletedAt) return;
  await inTransaction(ctx, async (tx) => {
    const now = new Date();
    await tx.db
      .update(experiments)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(experiments.id, row.id), eq(experiments.projectId, ctx.project.id)));
    await tx.db
      .update(runs)
      .set({ deletedAt: now })
      .where(and(eq(runs.experimentId, row.id), eq(runs.projectId, ctx.project.id), isNull(runs.deletedAt)));
    await recordAudit(tx, { project: ctx.project, action: "experiment.delete", target: { type: "experiment", id: experimentId }, before: { name: row.name } });
  });
}

export async function restoreExperiment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentIdInput> }) {
  const { experimentId } = parseInput(experimentIdInput, input);
  const row = await experimentById(ctx, experimentId);
  if (!row.deletedAt) return;
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .update(runs)
      .set({ deletedAt: null })
      .where(and(eq(runs.experimentId, row.id), eq(runs.projectId, ctx.project.id), eq(runs.deletedAt, row.deletedAt!)));
    await tx.db
      .update(experiments)
      .set({ deletedAt: null, updatedAt: new Date() })
      .where(and(eq(experiments.id, row.id), eq(experiments.projectId, ctx.project.id)));
    await recordAudit(tx, { project: ctx.project, action: "experiment.restore", target: { type: "experiment", id: experimentId }, after: { name: row.name } });
  });
}

export const experimentTagInput = experimentIdInput.extend(tagInput.shape);

export async function setExperimentTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentTagInput> }) {
  const { experimentId, key, value } = parseInput(experimentTagInput, input);
  const row = await activeExperiment(ctx, experimentId);
  await ctx.db
    .insert(experimentTags)
    .values({ experimentId: row.id, key, value })
    .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value } });
}

export const experimentTagKeyInput = experimentIdInput.extend({ key: z.string().min(1, "key is required") });

export async function deleteExperimentTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof experimentTagKeyInput> }) {
  const { experimentId, key } = parseInput(experimentTagKeyInput, input);
  const row = await activeExperiment(ctx, experimentId);
  const deleted = await ctx.db
    .delete(experimentTags)
    .where(and(eq(experimentTags.experimentId, row.id), eq(experimentTags.key, key)))
    .returning({ key: experimentTags.key });
  if (!deleted.length) throw notFound(`No tag '${key}' on experiment '${row.name}'`);
}
