import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../../access/actor";
import { memoised, type ProjectContext, type ServiceContext } from "../../context";
import { modelAliases, modelVersions, modelVersionTags, registeredModels, registeredModelTags, STAGES, type Stage } from "../../db/schema";
import { notFound } from "../../errors";
import { appendToTrail } from "../audit-trail/append";
import { runIdOf } from "../tracking/ids";
import type { KeyValue } from "../tracking/runs";

export type ModelRow = typeof registeredModels.$inferSelect;
export type VersionRow = typeof modelVersions.$inferSelect;

export type ModelVersion = {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: Stage;
  description: string;
  source: string;
  runId: string;
  runLink: string;
  status: "READY";
  statusMessage: string;
  tags: KeyValue[];
  aliases: string[];
  modelId: string | null;
};

export type RegisteredModel = {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  description: string;
  latestVersions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: string }[];
};

export const modelNameField = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "Registered model name must not be empty")
  .max(256, "Registered model name exceeds 256 characters");

export const versionField = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^[1-9]\d{0,8}$/.test(v), "version must be a positive integer")
  .transform(Number);

/** Stage names are case-insensitive on input and canonical on output. */
export const stageField = z.string().transform((value, ctx) => {
  const stage = STAGES.find((s) => s.toLowerCase() === value.trim().toLowerCase());
  if (!stage) {
    ctx.addIssue({ code: "custom", message: `Invalid stage '${value}'; use one of ${STAGES.join(", ")}` });
    return z.NEVER;
  }
  return stage;
});

export async function modelByName(ctx: ProjectContext, name: string): Promise<ModelRow> {
  return memoised(ctx, `registered-model:${name}`, async () => {
    const [row] = await ctx.db
      .select()
      .from(registeredModels)
      .where(and(eq(registeredModels.projectId, ctx.project.id), eq(registeredModels.name, name)));
    if (!row) throw notFound(`Registered model '${name}' not found`);
    return row;
  });
}

/**
 * Locks a registered model's row until the transaction ends: every change of a stage or an alias
 * takes it first, so concurrent moves of one model's targets apply one after the other, each
 * seeing the holder the previous one left.
 */
export async function lockModel(ctx: ProjectContext, model: ModelRow): Promise<void> {
  await ctx.db.select({ id: registeredModels.id }).from(registeredModels).where(eq(registeredModels.id, model.id)).for("update");
}

export async function versionOf(ctx: ProjectContext, model: ModelRow, version: number): Promise<VersionRow> {
  const [row] = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, version), isNull(modelVersions.deletedAt)));
  if (!row) throw notFound(`Model version '${model.name}' version ${version} not found`);
  return row;
}

/** MLflow-shaped versions with their tags and aliases (two queries for any number). */
export async function presentVersions(ctx: ServiceContext, rows: VersionRow[], names: Map<string, string>): Promise<ModelVersion[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [tags, aliases] = await Promise.all([
    ctx.db.select().from(modelVersionTags).where(inArray(modelVersionTags.versionId, ids)),
    ctx.db.select().from(modelAliases).where(inArray(modelAliases.versionId, ids)),
  ]);
  return rows.map((row) => ({
    name: names.get(row.modelId) ?? "",
    version: String(row.version),
    creationTimestamp: row.createdAt.getTime(),
    lastUpdatedTimestamp: row.updatedAt.getTime(),
    userId: row.userName,
    currentStage: row.stage,
    description: row.description,
    source: row.source,
    runId: row.runId ? runIdOf(row.runId) : "",
    runLink: row.runLink,
    status: "READY",
    statusMessage: "",
    tags: tags.filter((t) => t.versionId === row.id).map(({ key, value }) => ({ key, value })),
    aliases: aliases.filter((a) => a.versionId === row.id).map((a) => a.alias),
    modelId: row.loggedModelId,
  }));
}

/** MLflow-shaped registered models: tags, aliases, and the newest version in each stage. */
export async function presentModels(ctx: ServiceContext, rows: ModelRow[]): Promise<RegisteredModel[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const [tags, aliases, latest] = await Promise.all([
    ctx.db.select().from(registeredModelTags).where(inArray(registeredModelTags.modelId, ids)),
    ctx.db
      .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.version })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(inArray(modelAliases.modelId, ids)),
    ctx.db
      .selectDistinctOn([modelVersions.modelId, modelVersions.stage])
      .from(modelVersions)
      .where(and(inArray(modelVersions.modelId, ids), isNull(modelVersions.deletedAt)))
      .orderBy(modelVersions.modelId, modelVersions.stage, desc(modelVersions.version)),
  ]);
  const latestVersions = await presentVersions(ctx, latest, names);
  return rows.map((row) => ({
    name: row.name,
    creationTimestamp: row.createdAt.getTime(),
    lastUpdatedTimestamp: row.updatedAt.getTime(),
    userId: row.userName,
    description: row.description,
    latestVersions: latestVersions.filter((v) => v.name === row.name),
    tags: tags.filter((t) => t.modelId === row.id).map(({ key, value }) => ({ key, value })),
    aliases: aliases.filter((a) => a.modelId === row.id).map((a) => ({ alias: a.alias, version: String(a.version) })),
  }));
}

export type RegistryEvent = {
  model: ModelRow;
  kind: string;
  target?: string | null;
  fromVersion?: number | null;
  toVersion?: number | null;
  details?: Record<string, unknown>;
};

/** Appends to the model's timeline in the caller's transaction (joining the project's hash chain as it commits). */
export async function recordRegistryEvent(ctx: ProjectContext, event: RegistryEvent): Promise<void> {
  await appendToTrail(ctx, {
    log: "registry",
    values: {
      projectId: ctx.project.id,
      modelId: event.model.id,
      kind: event.kind,
      target: event.target ?? null,
      fromVersion: event.fromVersion ?? null,
      toVersion: event.toVersion ?? null,
      actorUserId: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
      actorLabel: actorLabel(ctx.actor),
      details: event.details ?? null,
    },
  });
}

/** Alias names as MLflow allows them: [A-Za-z0-9_-], not "latest", not v<digits>. */
export const aliasField = z
  .string({ error: "alias is required" })
  .min(1, "alias is required")
  .max(255, "alias exceeds 255 characters")
  .refine((a) => /^[\w-]+$/.test(a), "alias may contain only letters, digits, '_' and '-'")
  .refine((a) => a.toLowerCase() !== "latest", "'latest' is reserved and cannot be used as an alias")
  .refine((a) => !/^v\d+$/i.test(a), "aliases of the form v<number> are reserved for versions");
