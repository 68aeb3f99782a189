import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../../access/actor";
import { inTransaction, type ProjectContext } from "../../context";
import { modelAliases, modelVersions, modelVersionTags, registeredModels, STAGES, type Stage, type TargetKind } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { publish, signal } from "../events";
import { runIdOf } from "../tracking/ids";
import { frameworkAt } from "./flavors";
import { lastWins } from "../tracking/experiments";
import { keyField, LIMITS, valueField } from "../tracking/limits";
import { loggedModelRow } from "../tracking/logged-models";
import { runById } from "../tracking/runs";
import { modelByName, modelNameField, presentVersions, recordRegistryEvent, stageField, versionField, versionOf, type VersionRow } from "./shared";

const tagInput = z.object({ key: keyField("Tag"), value: valueField("Tag", LIMITS.runTagValueLength) });

export const createVersionInput = z.object({
  name: modelNameField,
  source: z.string({ error: "source is required" }).min(1, "source is required").max(2000),
  runId: z.string().max(100).optional(),
  runLink: z.string().max(2000).default(""),
  description: z.string().max(100_000).default(""),
  tags: z.array(tagInput).max(LIMITS.batchTags).default([]),
  modelId: z.string().max(100).optional(),
});

/**
 * Works out where a version's files are. `runs:/<run>/<path>` resolves through the run's artifact
 * URI, `models:/<model_id>` (MLflow 3) through the logged model, anything else is taken as given.
 */
async function resolveSource(ctx: ProjectContext, data: z.output<typeof createVersionInput>) {
  let runId = data.runId ? (await runById(ctx, data.runId)).id : null;
  let storageLocation: string | null = null;
  let loggedModelId: string | null = null;

  const modelRef = data.modelId ?? /^models:\/(m-[0-9a-f]{32})\/?$/.exec(data.source)?.[1];
  if (modelRef) {
    const logged = await loggedModelRow(ctx, modelRef);
    loggedModelId = logged.id;
    storageLocation = logged.artifactUri;
    runId ??= logged.sourceRunId;
  }
  const runRef = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(data.source);
  if (runRef) {
    const run = await runById(ctx, runRef[1]!);
    runId ??= run.id;
    const path = (runRef[2] ?? "").replace(/^\/+|\/+$/g, "");
    if (path.split("/").includes("..")) throw invalid("source must not leave the run's artifact directory");
    storageLocation = path ? `${run.artifactUri}/${path}` : run.artifactUri;
  }
  return { runId, storageLocation, loggedModelId };
}

/** Registers a new version (numbers are never reused); it is READY at once, as clients expect. */
export async function createModelVersion({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createVersionInput> }) {
  const data = parseInput(createVersionInput, input);
  const model = await modelByName(ctx, data.name);
  const resolved = await resolveSource(ctx, data);
  const framework = await frameworkAt(ctx, resolved.storageLocation ?? data.source);
  return inTransaction(ctx, async (tx) => {
    const [counter] = await tx.db
      .update(registeredModels)
      .set({ lastVersion: sql`${registeredModels.lastVersion} + 1`, updatedAt: new Date() })
      .where(and(eq(registeredModels.id, model.id), eq(registeredModels.projectId, ctx.project.id)))
      .returning({ lastVersion: registeredModels.lastVersion });
    const [row] = await tx.db
      .insert(modelVersions)
      .values({
        projectId: ctx.project.id,
        modelId: model.id,
        version: counter!.lastVersion,
        source: data.source,
        storageLocation: resolved.storageLocation,
        runId: resolved.runId,
        runLink: data.runLink,
        loggedModelId: resolved.loggedModelId,
        framework,
        description: data.description,
        userName: actorLabel(ctx.actor),
        createdBy: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
      })
      .returning();
    if (data.tags.length) await tx.db.insert(modelVersionTags).values(lastWins(data.tags).map((t) => ({ versionId: row!.id, ...t })));
    await recordRegistryEvent(tx, { model, kind: "version.registered", toVersion: row!.version, details: { source: data.source, framework } });
    await publish(tx, {
      project: ctx.project,
      kind: "model_version.registered",
      title: `${model.name} version ${row!.version} registered`,
      path: `/p/${ctx.project.slug}/models/${encodeURIComponent(model.name)}/versions/${row!.version}`,
      watched: [{ type: "registered_model", id: model.id }],
      webhook: {
        event: "model_version.registered",
        payload: { model: model.name, version: String(row!.version), source: data.source, runId: resolved.runId ? runIdOf(resolved.runId) : null, framework },
      },
    });
    const [version] = await presentVersions(tx, [row!], new Map([[model.id, model.name]]));
    return version!;
  });
}

export const versionInput = z.object({ name: modelNameField, version: versionField });

export async function getModelVersion({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionInput> }) {
  const { name, version } = parseInput(versionInput, input);
  const model = await modelByName(ctx, name);
  const [presented] = await presentVersions(ctx, [await versionOf(ctx, model, version)], new Map([[model.id, model.name]]));
  return presented!;
}

export const updateVersionInput = versionInput.extend({ description: z.string().max(100_000).default("") });

export async function updateModelVersion({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateVersionInput> }) {
  const { name, version, description } = parseInput(updateVersionInput, input);
  const model = await modelByName(ctx, name);
  const row = await versionOf(ctx, model, version);
  const [updated] = await ctx.db
    .update(modelVersions)
    .set({ description, updatedAt: new Date() })
    .where(and(eq(modelVersions.id, row.id), eq(modelVersions.projectId, ctx.project.id)))
    .returning();
  const [presented] = await presentVersions(ctx, [updated!], new Map([[model.id, model.name]]));
  return presented!;
}

/** Soft-deletes a version: its number stays reserved and its aliases are released. */
export async function deleteModelVersion({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionInput> }) {
  const { name, version } = parseInput(versionInput, input);
  const model = await modelByName(ctx, name);
  const row = await versionOf(ctx, model, version);
  for (const target of await targetsHeldBy(ctx, row)) await signal(ctx, "target.releasing", { model, target });
  await inTransaction(ctx, async (tx) => {
    const released = await tx.db.delete(modelAliases).where(eq(modelAliases.versionId, row.id)).returning({ alias: modelAliases.alias });
    await tx.db
      .update(modelVersions)
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(modelVersions.id, row.id), eq(modelVersions.projectId, ctx.project.id)));
    await recordRegistryEvent(tx, { model, kind: "version.deleted", fromVersion: version, details: { releasedAliases: released.map((r) => r.alias) } });
    await recordAudit(tx, { project: ctx.project, action: "model_version.delete", target: { type: "model_version", id: row.id }, before: { name, version } });
  });
}

export const versionTagInput = versionInput.extend(tagInput.shape);

export async function setModelVersionTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionTagInput> }) {
  const { name, version, key, value } = parseInput(versionTagInput, input);
  const model = await modelByName(ctx, name);
  const row = await versionOf(ctx, model, version);
  await signal(ctx, "target.changing", { model, version: row, target: { kind: "tag", name: key }, tagValue: value });
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .insert(modelVersionTags)
      .values({ versionId: row.id, key, value })
      .onConflictDoUpdate({ target: [modelVersionTags.versionId, modelVersionTags.key], set: { value: sql`excluded.value` } });
    await signal(tx, "evidence.changed", { versionId: row.id });
  });
}

export const versionTagKeyInput = versionInput.extend({ key: z.string().min(1, "key is required") });

export async function deleteModelVersionTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionTagKeyInput> }) {
  const { name, version, key } = parseInput(versionTagKeyInput, input);
  const model = await modelByName(ctx, name);
  const row = await versionOf(ctx, model, version);
  await signal(ctx, "target.releasing", { model, target: { kind: "tag", name: key } });
  // As in MLflow, a tag that is not there is already deleted.
  await inTransaction(ctx, async (tx) => {
    await tx.db.delete(modelVersionTags).where(and(eq(modelVersionTags.versionId, row.id), eq(modelVersionTags.key, key)));
    await signal(tx, "evidence.changed", { versionId: row.id });
  });
}

/** Where the version's files can be downloaded: a concrete mlflow-artifacts URI when Cairn knows it. */
export async function getDownloadUri({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionInput> }) {
  const { name, version } = parseInput(versionInput, input);
  const row = await versionOf(ctx, await modelByName(ctx, name), version);
  return { artifactUri: row.storageLocation ?? row.source };
}

export const latestVersionsInput = z.object({ name: modelNameField, stages: z.array(stageField).default([]) });

/** The newest version in each requested stage (every stage when none is named). */
export async function getLatestVersions({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof latestVersionsInput> }) {
  const { name, stages } = parseInput(latestVersionsInput, input);
  const model = await modelByName(ctx, name);
  const wanted: readonly Stage[] = stages.length ? stages : STAGES;
  const rows = await ctx.db
    .selectDistinctOn([modelVersions.stage])
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), isNull(modelVersions.deletedAt), inArray(modelVersions.stage, [...wanted])))
    .orderBy(modelVersions.stage, desc(modelVersions.version));
  return presentVersions(ctx, rows, new Map([[model.id, model.name]]));
}

/** The stages, aliases and tags a version holds (each a target a rule may protect). */
async function targetsHeldBy(ctx: ProjectContext, version: VersionRow): Promise<{ kind: TargetKind; name: string }[]> {
  const [aliases, tags] = await Promise.all([
    ctx.db.select({ alias: modelAliases.alias }).from(modelAliases).where(eq(modelAliases.versionId, version.id)),
    ctx.db.select({ key: modelVersionTags.key }).from(modelVersionTags).where(eq(modelVersionTags.versionId, version.id)),
  ]);
  return [
    ...(version.stage === "Staging" || version.stage === "Production" ? [{ kind: "stage" as const, name: version.stage }] : []),
    ...aliases.map((a) => ({ kind: "alias" as const, name: a.alias })),
    ...tags.map((t) => ({ kind: "tag" as const, name: t.key })),
  ];
}
