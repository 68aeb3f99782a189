import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../../access/actor";
import { inTransaction, type ProjectContext, type ServiceContext } from "../../context";
import { experiments, LOGGED_MODEL_STATUSES, loggedModelParams, loggedModels, loggedModelTags, modelVersions, registeredModels } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { compileFilter, type Resolver } from "../../search/compile";
import { LOGGED_MODEL_FILTER, parseFilter } from "../../search/filter";
import { experimentById, lastWins } from "./experiments";
import { experimentNumberOf, runIdOf } from "./ids";
import { booleanField, keyField, LIMITS, valueField } from "./limits";
import { decodeOffset, encodeOffset } from "../page-token";
import { runById, type KeyValue } from "./runs";
import { existsWith, maxResultsField, parsed } from "./search";

export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

export type LoggedModel = {
  info: {
    modelId: string;
    experimentId: string;
    name: string;
    artifactUri: string;
    creationTimestampMs: number;
    lastUpdatedTimestampMs: number;
    status: LoggedModelStatus;
    statusMessage: string;
    modelType: string;
    sourceRunId: string | null;
    tags: KeyValue[];
    registrations: { name: string; version: string }[];
  };
  data: { params: KeyValue[]; metrics: never[] };
};

type Row = typeof loggedModels.$inferSelect & { experimentNumber: number };

const tagInput = z.object({ key: keyField("Tag"), value: valueField("Tag", LIMITS.runTagValueLength) });
const paramInput = z.object({
  key: keyField("Param"),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).pipe(valueField("Param", LIMITS.paramValueLength)),
});

/** MLflow 3 ids: "m-" and 32 hex characters. */
const newModelId = () => `m-${randomBytes(16).toString("hex")}`;

export async function loggedModelRow(ctx: ProjectContext, modelId: string, options: { allowDeleted?: boolean } = {}): Promise<Row> {
  const [row] = await ctx.db
    .select({ model: loggedModels, experimentNumber: experiments.number })
    .from(loggedModels)
    .innerJoin(experiments, eq(experiments.id, loggedModels.experimentId))
    .where(and(eq(loggedModels.id, modelId), eq(loggedModels.projectId, ctx.project.id)));
  if (!row || (row.model.deletedAt && !options.allowDeleted)) throw notFound(`Logged model '${modelId}' not found`);
  return { ...row.model, experimentNumber: row.experimentNumber };
}

/** Full MLflow logged models (tags, params, registrations) in three queries. */
async function presentLoggedModels(ctx: ServiceContext, rows: Row[]): Promise<LoggedModel[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [tags, params, registrations] = await Promise.all([
    ctx.db.select().from(loggedModelTags).where(inArray(loggedModelTags.modelId, ids)),
    ctx.db.select().from(loggedModelParams).where(inArray(loggedModelParams.modelId, ids)),
    ctx.db
      .select({ modelId: modelVersions.loggedModelId, name: registeredModels.name, version: modelVersions.version })
      .from(modelVersions)
      .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
      .where(and(inArray(modelVersions.loggedModelId, ids), isNull(modelVersions.deletedAt))),
  ]);
  return rows.map((row) => ({
    info: {
      modelId: row.id,
      experimentId: String(row.experimentNumber),
      name: row.name,
      artifactUri: row.artifactUri,
      creationTimestampMs: row.createdAt,
      lastUpdatedTimestampMs: row.updatedAt,
      status: row.status,
      statusMessage: row.statusMessage,
      // MLflow's creator_id is a numeric user id; Cairn has none to give, so it is left out.
      modelType: row.modelType,
      sourceRunId: row.sourceRunId ? runIdOf(row.sourceRunId) : null,
      tags: tags.filter((t) => t.modelId === row.id).map(({ key, value }) => ({ key, value })),
      registrations: registrations.filter((r) => r.modelId === row.id).map((r) => ({ name: r.name, version: String(r.version) })),
    },
    data: {
      params: params.filter((p) => p.modelId === row.id).map(({ key, value }) => ({ key, value })),
      metrics: [],
    },
  }));
}

export const createLoggedModelInput = z.object({
  experimentId: z.union([z.string(), z.number()]).transform(String),
  name: z.string().trim().min(1).max(500).default("model"),
  modelType: z.string().max(500).default(""),
  sourceRunId: z.string().max(100).optional(),
  params: z.array(paramInput).max(LIMITS.batchParams).default([]),
  tags: z.array(tagInput).max(LIMITS.batchTags).default([]),
});

/** Starts an MLflow 3 logged model (status PENDING until the client finalizes it after uploading). */
export async function createLoggedModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createLoggedModelInput> }) {
  const data = parseInput(createLoggedModelInput, input);
  const experiment = await experimentById(ctx, data.experimentId);
  if (experiment.deletedAt) throw invalid(`Experiment '${experiment.name}' is deleted`);
  const sourceRun = data.sourceRunId ? await runById(ctx, data.sourceRunId) : null;
  const id = newModelId();
  const now = Date.now();
  const location = experiment.artifactLocation.replace(/\/+$/, "");
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(loggedModels)
      .values({
        id,
        projectId: ctx.project.id,
        experimentId: experiment.id,
        name: data.name,
        artifactUri: `${location}/models/${id}/artifacts`,
        modelType: data.modelType,
        sourceRunId: sourceRun?.id ?? null,
        userName: actorLabel(ctx.actor),
        createdBy: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (data.tags.length) await tx.db.insert(loggedModelTags).values(lastWins(data.tags).map((t) => ({ modelId: id, ...t })));
    if (data.params.length) await tx.db.insert(loggedModelParams).values(lastWins(data.params).map((p) => ({ modelId: id, ...p })));
    const [model] = await presentLoggedModels(tx, [{ ...row!, experimentNumber: experiment.number }]);
    return model!;
  });
}

export const loggedModelIdInput = z.object({
  modelId: z.string().min(1, "model_id is required").max(100),
  allowDeleted: booleanField.optional(),
});

export async function getLoggedModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof loggedModelIdInput> }) {
  const { modelId, allowDeleted } = parseInput(loggedModelIdInput, input);
  const [model] = await presentLoggedModels(ctx, [await loggedModelRow(ctx, modelId, { allowDeleted })]);
  return model!;
}

export const finalizeLoggedModelInput = z.object({
  modelId: z.string().min(1),
  status: z.enum(["LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"], { error: "status must be LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED" }),
});

export async function finalizeLoggedModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof finalizeLoggedModelInput> }) {
  const { modelId, status } = parseInput(finalizeLoggedModelInput, input);
  const row = await loggedModelRow(ctx, modelId);
  const [updated] = await ctx.db
    .update(loggedModels)
    .set({ status, updatedAt: Date.now() })
    .where(and(eq(loggedModels.id, row.id), eq(loggedModels.projectId, ctx.project.id)))
    .returning();
  const [model] = await presentLoggedModels(ctx, [{ ...updated!, experimentNumber: row.experimentNumber }]);
  return model!;
}

export const loggedModelTagsInput = z.object({ modelId: z.string().min(1), tags: z.array(tagInput).max(LIMITS.batchTags).default([]) });

export async function setLoggedModelTags({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof loggedModelTagsInput> }) {
  const { modelId, tags } = parseInput(loggedModelTagsInput, input);
  const row = await loggedModelRow(ctx, modelId);
  if (!tags.length) return;
  await ctx.db
    .insert(loggedModelTags)
    .values(lastWins(tags).map((t) => ({ modelId: row.id, ...t })))
    .onConflictDoUpdate({ target: [loggedModelTags.modelId, loggedModelTags.key], set: { value: sql`excluded.value` } });
}

export const loggedModelTagKeyInput = z.object({ modelId: z.string().min(1), key: z.string().min(1) });

export async function deleteLoggedModelTag({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof loggedModelTagKeyInput> }) {
  const { modelId, key } = parseInput(loggedModelTagKeyInput, input);
  const row = await loggedModelRow(ctx, modelId);
  const deleted = await ctx.db
    .delete(loggedModelTags)
    .where(and(eq(loggedModelTags.modelId, row.id), eq(loggedModelTags.key, key)))
    .returning({ key: loggedModelTags.key });
  if (!deleted.length) throw notFound(`No tag '${key}' on logged model '${modelId}'`);
}

export const loggedModelParamsInput = z.object({ modelId: z.string().min(1), params: z.array(paramInput).max(LIMITS.batchEntities).default([]) });

export async function logLoggedModelParams({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof loggedModelParamsInput> }) {
  const { modelId, params } = parseInput(loggedModelParamsInput, input);
  const row = await loggedModelRow(ctx, modelId);
  if (!params.length) return;
  await ctx.db
    .insert(loggedModelParams)
    .values(lastWins(params).map((p) => ({ modelId: row.id, ...p })))
    .onConflictDoUpdate({ target: [loggedModelParams.modelId, loggedModelParams.key], set: { value: sql`excluded.value` } });
}

export async function deleteLoggedModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof loggedModelIdInput> }) {
  const { modelId } = parseInput(loggedModelIdInput, input);
  const row = await loggedModelRow(ctx, modelId);
  await ctx.db
    .update(loggedModels)
    .set({ deletedAt: new Date(), updatedAt: Date.now() })
    .where(and(eq(loggedModels.id, row.id), eq(loggedModels.projectId, ctx.project.id)));
}

const loggedModelResolver: Resolver = (id) => {
  switch (id.kind) {
    case "param":
      return existsWith(sql`select 1 from logged_model_params p where p.model_id = ${loggedModels.id} and p.key = ${id.key}`, sql`p.value`);
    case "tag":
      return existsWith(sql`select 1 from logged_model_tags t where t.model_id = ${loggedModels.id} and t.key = ${id.key}`, sql`t.value`);
    case "attribute":
      return { kind: "column", expr: loggedModelAttribute(id.key) };
    default:
      // Cairn keeps no per-model metrics: a metric condition matches no logged model.
      return { kind: "column", expr: sql`null::float8` };
  }
};

function loggedModelAttribute(name: string): SQL {
  switch (name) {
    case "name":
      return sql`${loggedModels.name}`;
    case "model_id":
      return sql`${loggedModels.id}`;
    case "model_type":
      return sql`${loggedModels.modelType}`;
    case "status":
      return sql`${loggedModels.status}::text`;
    case "source_run_id":
      return sql`replace(${loggedModels.sourceRunId}::text, '-', '')`;
    case "creation_timestamp":
    case "creation_time":
      return sql`${loggedModels.createdAt}`;
    case "last_updated_timestamp":
      return sql`${loggedModels.updatedAt}`;
    default:
      throw invalid(`Unknown logged model attribute '${name}'`);
  }
}

export const searchLoggedModelsInput = z.object({
  experimentIds: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  filter: z.string().max(10_000).optional(),
  maxResults: maxResultsField(100, LIMITS.maxResults),
  orderBy: z.array(z.object({ fieldName: z.string(), ascending: z.boolean().default(true) })).default([]),
  pageToken: z.string().max(200).optional(),
});

/** MLflow 3 logged-model search (the client uses it to map `runs:/` URIs to logged models). */
export async function searchLoggedModels({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchLoggedModelsInput> }) {
  const data = parseInput(searchLoggedModelsInput, input);
  const filter = parsed(() => parseFilter(data.filter, LOGGED_MODEL_FILTER));
  const numbers = data.experimentIds.map(experimentNumberOf).filter((n): n is number => n !== null);
  const offset = decodeOffset(data.pageToken);
  const rows = await ctx.db
    .select({ model: loggedModels, experimentNumber: experiments.number })
    .from(loggedModels)
    .innerJoin(experiments, eq(experiments.id, loggedModels.experimentId))
    .where(
      and(
        eq(loggedModels.projectId, ctx.project.id),
        isNull(loggedModels.deletedAt),
        numbers.length ? inArray(experiments.number, numbers) : undefined,
        compileFilter(filter, loggedModelResolver),
      ),
    )
    .orderBy(
      ...data.orderBy.map((o) => (o.ascending ? sql`${loggedModelAttribute(o.fieldName)} asc` : sql`${loggedModelAttribute(o.fieldName)} desc`)),
      desc(loggedModels.createdAt),
      asc(loggedModels.id),
    )
    .offset(offset)
    .limit(data.maxResults + 1);
  const more = rows.length > data.maxResults;
  const page = (more ? rows.slice(0, data.maxResults) : rows).map((r) => ({ ...r.model, experimentNumber: r.experimentNumber }));
  return { models: await presentLoggedModels(ctx, page), nextPageToken: more ? encodeOffset(offset + data.maxResults) : undefined };
}
