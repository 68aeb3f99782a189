import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, lte, max, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelVersions, registeredModels, registeredModelTags, registryEvents, runs, STAGES, users } from "../../db/schema";
import { parseInput } from "../../errors";
import { runIdOf } from "../tracking/ids";
import { modelByName, modelNameField, presentModels, versionField } from "./shared";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export const listModelsInput = z.object({
  query: z.string().trim().max(200).optional(),
  tag: z.object({ key: z.string().min(1).max(250), value: z.string().max(8000).optional() }).optional(),
  framework: z.string().trim().max(100).optional(),
  trainedAfter: z.date().optional(),
  trainedBefore: z.date().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

/**
 * Registered models of the project for the registry page, newest change first, filtered by name,
 * tag, framework (of any version) and the training date of any version's source run.
 */
export async function listModels({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof listModelsInput> }) {
  const data = parseInput(listModelsInput, input);
  const versionMatch = (condition: SQL) =>
    sql`exists (select 1 from ${modelVersions} v left join ${runs} r on r.id = v.run_id where v.model_id = ${registeredModels.id} and v.deleted_at is null and ${condition})`;
  const where = and(
    eq(registeredModels.projectId, ctx.project.id),
    data.query ? ilike(registeredModels.name, `%${escapeLike(data.query)}%`) : undefined,
    data.tag
      ? sql`exists (select 1 from ${registeredModelTags} t where t.model_id = ${registeredModels.id} and t.key = ${data.tag.key}${data.tag.value !== undefined ? sql` and t.value = ${data.tag.value}` : sql``})`
      : undefined,
    data.framework ? versionMatch(sql`v.framework = ${data.framework}`) : undefined,
    data.trainedAfter ? versionMatch(sql`r.start_time >= ${data.trainedAfter.getTime()}`) : undefined,
    data.trainedBefore ? versionMatch(sql`r.start_time <= ${data.trainedBefore.getTime()}`) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(registeredModels)
      .where(where)
      .orderBy(desc(registeredModels.updatedAt), asc(registeredModels.name))
      .limit(data.limit)
      .offset(data.offset),
    ctx.db.select({ n: count() }).from(registeredModels).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [versionStats, frameworks] = await Promise.all([
    ids.length
      ? ctx.db
          .select({ modelId: modelVersions.modelId, versions: count(), latest: max(modelVersions.version) })
          .from(modelVersions)
          .where(and(inArray(modelVersions.modelId, ids), isNull(modelVersions.deletedAt)))
          .groupBy(modelVersions.modelId)
      : [],
    ids.length
      ? ctx.db
          .selectDistinct({ modelId: modelVersions.modelId, framework: modelVersions.framework })
          .from(modelVersions)
          .where(and(inArray(modelVersions.modelId, ids), isNull(modelVersions.deletedAt), sql`${modelVersions.framework} is not null`))
      : [],
  ]);
  const presented = await presentModels(ctx, rows);
  return {
    total: total?.n ?? 0,
    models: presented.map((model, i) => {
      const stats = versionStats.find((s) => s.modelId === rows[i]!.id);
      return {
        ...model,
        versionCount: stats?.versions ?? 0,
        latestVersion: stats?.latest ?? null,
        frameworks: frameworks.filter((f) => f.modelId === rows[i]!.id).map((f) => f.framework!),
      };
    }),
  };
}

/** The frameworks used in the project's registry, for the filter. */
export async function registryFrameworks({ ctx }: { ctx: ProjectContext }) {
  const rows = await ctx.db
    .selectDistinct({ framework: modelVersions.framework })
    .from(modelVersions)
    .where(and(eq(modelVersions.projectId, ctx.project.id), sql`${modelVersions.framework} is not null`))
    .orderBy(modelVersions.framework);
  return rows.map((r) => r.framework!);
}

export const modelNameInput = z.object({ name: modelNameField });

/** A model with all its versions, newest first. */
export async function getModelDetail({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelNameInput> }) {
  const { name } = parseInput(modelNameInput, input);
  const model = await modelByName(ctx, name);
  const [presented] = await presentModels(ctx, [model]);
  const [versions, creator] = await Promise.all([
    ctx.db
      .select({ version: modelVersions, runName: runs.name, runStart: runs.startTime, runStatus: runs.status, registeredBy: users.name })
      .from(modelVersions)
      .leftJoin(runs, eq(runs.id, modelVersions.runId))
      .leftJoin(users, eq(users.id, modelVersions.createdBy))
      .where(and(eq(modelVersions.modelId, model.id), isNull(modelVersions.deletedAt)))
      .orderBy(desc(modelVersions.version)),
    model.createdBy ? ctx.db.select({ name: users.name }).from(users).where(eq(users.id, model.createdBy)) : Promise.resolve([]),
  ]);
  const aliasesOf = (versionId: string) =>
    presented!.aliases.filter((a) => versions.some((v) => v.version.id === versionId && String(v.version.version) === a.version)).map((a) => a.alias);
  return {
    ...presented!,
    createdBy: creator[0]?.name ?? model.userName,
    versions: versions.map(({ version, runName, runStart, runStatus, registeredBy }) => ({
      version: version.version,
      stage: version.stage,
      aliases: aliasesOf(version.id),
      framework: version.framework,
      description: version.description,
      source: version.source,
      runId: version.runId ? runIdOf(version.runId) : null,
      runName,
      runStatus,
      trainedAt: runStart,
      registeredBy: registeredBy ?? version.userName,
      createdAt: version.createdAt,
    })),
  };
}

export const versionInput = z.object({ name: modelNameField, version: versionField });

export const timelineInput = z.object({
  name: modelNameField,
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

/** The model's history, newest first: registrations, stage and alias moves, reviews, rollbacks. */
export async function modelTimeline({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof timelineInput> }) {
  const data = parseInput(timelineInput, input);
  const model = await modelByName(ctx, data.name);
  const rows = await ctx.db
    .select()
    .from(registryEvents)
    .where(and(eq(registryEvents.modelId, model.id), data.before ? lt(registryEvents.id, data.before) : undefined))
    .orderBy(desc(registryEvents.id))
    .limit(data.limit + 1);
  const more = rows.length > data.limit;
  const events = (more ? rows.slice(0, data.limit) : rows).map((e) => ({
    id: e.id,
    kind: e.kind,
    target: e.target,
    fromVersion: e.fromVersion,
    toVersion: e.toVersion,
    actor: e.actorLabel,
    details: e.details,
    at: e.createdAt,
  }));
  return { events, nextBefore: more ? events.at(-1)!.id : null };
}

export const stateAtInput = z.object({ name: modelNameField, at: z.date() });

/**
 * What held each stage and alias at a moment, replayed from the timeline, with the promotion that
 * put it there: who approved it and why. Answers "what served in Production on date X".
 */
export async function targetsAt({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof stateAtInput> }) {
  const { name, at } = parseInput(stateAtInput, input);
  const model = await modelByName(ctx, name);
  const events = await ctx.db
    .select()
    .from(registryEvents)
    .where(and(eq(registryEvents.modelId, model.id), lte(registryEvents.createdAt, at)))
    .orderBy(asc(registryEvents.id));
  const stageOf = new Map<number, string>();
  const aliases = new Map<string, number>();
  const putThere = new Map<string, (typeof events)[number]>();
  for (const e of events) {
    if (e.kind === "stage.changed" && e.toVersion !== null && e.target) {
      stageOf.set(e.toVersion, e.target);
      putThere.set(`stage:${e.target}:${e.toVersion}`, e);
    } else if (e.kind === "alias.set" && e.toVersion !== null && e.target) {
      aliases.set(e.target, e.toVersion);
      putThere.set(`alias:${e.target}:${e.toVersion}`, e);
    } else if (e.kind === "alias.removed" && e.target) {
      aliases.delete(e.target);
    } else if (e.kind === "version.deleted" && e.fromVersion !== null) {
      stageOf.delete(e.fromVersion);
      for (const [alias, v] of aliases) if (v === e.fromVersion) aliases.delete(alias);
    }
  }
  const promotion = (kind: "stage" | "alias", target: string, version: number) =>
    [...events]
      .reverse()
      .find(
        (e) =>
          (e.kind === "promotion.applied" || e.kind === "promotion.rolled_back") &&
          e.target === target &&
          e.toVersion === version &&
          (e.details as { targetKind?: string } | null)?.targetKind === kind,
      );
  const describe = (kind: "stage" | "alias", target: string, version: number) => {
    const move = putThere.get(`${kind}:${target}:${version}`);
    const applied = promotion(kind, target, version);
    const details = (applied?.details ?? {}) as { request?: number; approvers?: string[]; justification?: string };
    return {
      kind,
      target,
      version,
      since: move?.createdAt ?? null,
      by: applied?.actorLabel ?? move?.actorLabel ?? null,
      request: details.request ?? null,
      approvers: details.approvers ?? [],
      justification: details.justification ?? null,
      rollback: applied?.kind === "promotion.rolled_back",
    };
  };
  const stages = STAGES.filter((s) => s !== "None" && s !== "Archived").flatMap((stage) => {
    const holders = [...stageOf.entries()].filter(([, s]) => s === stage).map(([v]) => v);
    return holders.length ? [describe("stage", stage, Math.max(...holders))] : [];
  });
  return { at, targets: [...stages, ...[...aliases.entries()].map(([alias, v]) => describe("alias", alias, v))] };
}
