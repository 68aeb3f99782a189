import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../../access/actor";
import { inTransaction, type ProjectContext } from "../../context";
import { registeredModels, registeredModelTags } from "../../db/schema";
import { conflict, isUniqueViolation, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { lastWins } from "../tracking/experiments";
import { keyField, LIMITS, valueField } from "../tracking/limits";
import { modelByName, modelNameField, presentModels, recordRegistryEvent } from "./shared";

const tagInput = z.object({ key: keyField("Tag"), value: valueField("Tag", LIMITS.runTagValueLength) });

export const createModelInput = z.object({
  name: modelNameField,
  description: z.string().max(100_000).default(""),
  tags: z.array(tagInput).max(LIMITS.batchTags).default([]),
});

/** Registers a model name in the project; a taken name is RESOURCE_ALREADY_EXISTS, as clients expect. */
export async function createRegisteredModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createModelInput> }) {
  const data = parseInput(createModelInput, input);
  return inTransaction(ctx, async (tx) => {
    let row;
    try {
      [row] = await tx.db
        .insert(registeredModels)
        .values({
          projectId: ctx.project.id,
          name: data.name,
          description: data.description,
          userName: actorLabel(ctx.actor),
          createdBy: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
        })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Registered Model (name=${data.name}) already exists.`, { name: "A model with this name exists" });
      throw error;
    }
    if (data.tags.length) await tx.db.insert(registeredModelTags).values(lastWins(data.tags).map((t) => ({ modelId: row!.id, ...t })));
    await recordRegistryEvent(tx, { model: row!, kind: "model.created" });
    const [model] = await presentModels(tx, [row!]);
    return model!;
  });
}

export const modelNameInput = z.object({ name: modelNameField });

export async function getRegisteredModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelNameInput> }) {
  const { name } = parseInput(modelNameInput, input);
  const [model] = await presentModels(ctx, [await modelByName(ctx, name)]);
  return model!;
}

export const renameModelInput = modelNameInput.extend({ newName: modelNameField });

export async function renameRegisteredModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof renameModelInput> }) {
  const { name, newName } = parseInput(renameModelInput, input);
  const model = await modelByName(ctx, name);
  return inTransaction(ctx, async (tx) => {
    let row;
    try {
      [row] = await tx.db
        .update(registeredModels)
        .set({ name: newName, updatedAt: new Date() })
        .where(and(eq(registeredModels.id, model.id), eq(registeredModels.projectId, ctx.project.id)))
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Registered Model (name=${newName}) already exists.`, { newName: "A model with this name exists" });
      throw error;
    }
    await recordRegistryEvent(tx, { model: row!, kind: "model.renamed", details: { from: name, to: newName } });
    const [presented] = await presentModels(tx, [row!]);
    return presented!;
  });
}

export const updateModelInput = modelNameInput.extend({ description: z.string().max(100_000).default("") });

export async function updateRegisteredModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateModelInput> }) {
  const { name, description } = parseInput(updateModelInput, input);
  const model = await modelByName(ctx, name);
  const [row] = await ctx.db
    .update(registeredModels)
    .set({ description, updatedAt: new Date() })
    .where(and(eq(registeredModels.id, model.id), eq(registeredModels.projectId, ctx.project.id)))
    .returning();
  const [presented] = await presentModels(ctx, [row!]);
  return presented!;
}

/** Deletes the model with all its versions and aliases (audited); its timeline stays in the project's chained trail. */
export async function deleteRegisteredModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelNameInput> }) {
  const { name } = parseInput(modelNameInput, input);
  const model = await modelByName(ctx, name);
  await inTransaction(ctx, async (tx) => {
    await tx.db.delete(registeredModels).where(and(eq(registeredModels.id, model.id), eq(registeredModels.projectId, ctx.project.id)));
    await recordAudit(tx, { project: ctx.project, action: "model.delete", target: { type: "registered_model", id: model.id }, before: { name } });
  });
}

export const modelTagInput = modelNameInput.extend(tagInput.shape);

export async function setRegisteredModelTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelTagInput> }) {
  const { name, key, value } = parseInput(modelTagInput, input);
  const model = await modelByName(ctx, name);
  await ctx.db
    .insert(registeredModelTags)
    .values({ modelId: model.id, key, value })
    .onConflictDoUpdate({ target: [registeredModelTags.modelId, registeredModelTags.key], set: { value: sql`excluded.value` } });
}

export const modelTagKeyInput = modelNameInput.extend({ key: z.string().min(1, "key is required") });

export async function deleteRegisteredModelTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelTagKeyInput> }) {
  const { name, key } = parseInput(modelTagKeyInput, input);
  const model = await modelByName(ctx, name);
  // As in MLflow, a tag that is not there is already deleted.
  await ctx.db.delete(registeredModelTags).where(and(eq(registeredModelTags.modelId, model.id), eq(registeredModelTags.key, key)));
}
