import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { modelAliases, modelVersions, type Stage } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { signal } from "../events";
import { booleanField } from "../tracking/limits";
import {
  aliasField,
  lockModel,
  modelByName,
  modelNameField,
  presentVersions,
  recordRegistryEvent,
  stageField,
  versionField,
  versionOf,
  type ModelRow,
  type VersionRow,
} from "./shared";

/**
 * Stages and aliases are the registry's "targets". Every change to one goes through this module,
 * which records it on the model's timeline; promotion rules for protected targets sit in front of
 * these functions.
 */

export const transitionInput = z.object({
  name: modelNameField,
  version: versionField,
  stage: stageField,
  archiveExistingVersions: booleanField.default(false),
});

export async function transitionStage({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof transitionInput> }) {
  const data = parseInput(transitionInput, input);
  if (data.archiveExistingVersions && data.stage !== "Staging" && data.stage !== "Production") {
    throw invalid("archive_existing_versions is only allowed when transitioning to Staging or Production");
  }
  const model = await modelByName(ctx, data.name);
  const version = await versionOf(ctx, model, data.version);
  if (version.stage !== data.stage && version.stage !== "None" && version.stage !== "Archived") {
    await signal(ctx, "target.releasing", { model, target: { kind: "stage", name: version.stage } });
  }
  if (data.stage === "Staging" || data.stage === "Production")
    await signal(ctx, "target.changing", { model, version, target: { kind: "stage", name: data.stage } });
  return inTransaction(ctx, (tx) => moveStage(tx, model, version, data.stage, data.archiveExistingVersions));
}

/**
 * Moves a version to a stage, optionally archiving the versions that held it. The timeline records
 * the previous holder (the highest version in the stage), which is what a rollback returns to.
 */
export async function moveStage(
  ctx: ProjectContext,
  model: ModelRow,
  version: VersionRow,
  stage: Stage,
  archiveExisting: boolean,
  details: Record<string, unknown> = {},
) {
  await lockModel(ctx, model);
  const now = new Date();
  const [previous] = await ctx.db
    .select({ version: modelVersions.version })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, stage), ne(modelVersions.id, version.id), isNull(modelVersions.deletedAt)))
    .orderBy(desc(modelVersions.version))
    .limit(1);
  if (archiveExisting) {
    const archived = await ctx.db
      .update(modelVersions)
      .set({ stage: "Archived", updatedAt: now })
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, stage), ne(modelVersions.id, version.id), isNull(modelVersions.deletedAt)))
      .returning({ version: modelVersions.version });
    for (const a of archived) {
      await recordRegistryEvent(ctx, {
        model,
        kind: "stage.changed",
        target: "Archived",
        toVersion: a.version,
        details: { fromStage: stage, reason: "archived by a newer version" },
      });
    }
  }
  const [row] = await ctx.db
    .update(modelVersions)
    .set({ stage, updatedAt: now })
    .where(and(eq(modelVersions.id, version.id), eq(modelVersions.projectId, ctx.project.id)))
    .returning();
  await recordRegistryEvent(ctx, {
    model,
    kind: "stage.changed",
    target: stage,
    fromVersion: previous?.version ?? null,
    toVersion: version.version,
    details: { fromStage: version.stage, ...details },
  });
  const [presented] = await presentVersions(ctx, [row!], new Map([[model.id, model.name]]));
  return presented!;
}

export const aliasInput = z.object({ name: modelNameField, alias: aliasField, version: versionField });

export async function setAlias({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof aliasInput> }) {
  const data = parseInput(aliasInput, input);
  const model = await modelByName(ctx, data.name);
  const version = await versionOf(ctx, model, data.version);
  await signal(ctx, "target.changing", { model, version, target: { kind: "alias", name: data.alias } });
  await inTransaction(ctx, (tx) => moveAlias(tx, model, data.alias, version));
}

/** Points an alias at a version, or releases it (null), recording where it pointed before. */
export async function moveAlias(ctx: ProjectContext, model: ModelRow, alias: string, version: VersionRow | null, details: Record<string, unknown> = {}) {
  await lockModel(ctx, model);
  const [previous] = await ctx.db
    .select({ version: modelVersions.version })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
  if (version) {
    await ctx.db
      .insert(modelAliases)
      .values({ modelId: model.id, alias, versionId: version.id })
      .onConflictDoUpdate({ target: [modelAliases.modelId, modelAliases.alias], set: { versionId: version.id, updatedAt: sql`now()` } });
  } else {
    await ctx.db.delete(modelAliases).where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
  }
  if ((previous?.version ?? null) === (version?.version ?? null)) return;
  await recordRegistryEvent(ctx, {
    model,
    kind: version ? "alias.set" : "alias.removed",
    target: alias,
    fromVersion: previous?.version ?? null,
    toVersion: version?.version ?? null,
    details,
  });
}

export const aliasNameInput = z.object({ name: modelNameField, alias: z.string().min(1, "alias is required").max(255) });

export async function deleteAlias({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof aliasNameInput> }) {
  const data = parseInput(aliasNameInput, input);
  const model = await modelByName(ctx, data.name);
  await signal(ctx, "target.releasing", { model, target: { kind: "alias", name: data.alias } });
  await inTransaction(ctx, (tx) => moveAlias(tx, model, data.alias, null));
}

/** The version an alias points at; an unknown alias is a client error, as in MLflow. */
export async function getVersionByAlias({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof aliasNameInput> }) {
  const data = parseInput(aliasNameInput, input);
  const model = await modelByName(ctx, data.name);
  const [row] = await ctx.db
    .select({ version: modelVersions })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, data.alias)));
  if (!row) throw invalid(`Registered model alias ${data.alias} not found.`);
  const [presented] = await presentVersions(ctx, [row.version], new Map([[model.id, model.name]]));
  return presented!;
}
