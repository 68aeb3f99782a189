import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelVersions, registeredModels } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { compileFilter, type Resolver } from "../../search/compile";
import { MODEL_VERSION_FILTER, parseFilter, REGISTERED_MODEL_FILTER } from "../../search/filter";
import { MODEL_VERSION_ORDER, parseOrderBy, REGISTERED_MODEL_ORDER } from "../../search/order-by";
import { decodeOffset, encodeOffset } from "../page-token";
import { maxResultsField, millis, orderByField, parsed } from "../tracking/search";
import { presentModels, presentVersions } from "./shared";

// MLflow 3 clients hide prompts with ``tag.`mlflow.prompt.is_prompt` != 'true'``: as in MLflow,
// a model without that one tag satisfies the condition (for any other tag a missing tag never matches).
const PROMPT_TAG = "mlflow.prompt.is_prompt";
const taggedWith = (key: string, from: SQL): ReturnType<Resolver> => ({
  kind: "keyed",
  missingMatchesNotEqual: key === PROMPT_TAG,
  from,
  value: sql`t.value`,
});

function modelAttribute(name: string): SQL {
  switch (name) {
    case "name":
      return sql`${registeredModels.name}`;
    case "creation_timestamp":
      return millis(registeredModels.createdAt);
    case "last_updated_timestamp":
      return millis(registeredModels.updatedAt);
    default:
      throw invalid(`Unknown registered model attribute '${name}'`);
  }
}

const modelResolver: Resolver = (id) =>
  id.kind === "tag"
    ? taggedWith(id.key, sql`select 1 from registered_model_tags t where t.model_id = ${registeredModels.id} and t.key = ${id.key}`)
    : { kind: "column", expr: modelAttribute(id.key) };

export const searchModelsInput = z.object({
  filter: z.string().max(10_000).optional(),
  maxResults: maxResultsField(100, 1000),
  orderBy: orderByField,
  pageToken: z.string().max(200).optional(),
});

export async function searchRegisteredModels({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchModelsInput> }) {
  const data = parseInput(searchModelsInput, input);
  const filter = parsed(() => parseFilter(data.filter, REGISTERED_MODEL_FILTER));
  const order = parsed(() => parseOrderBy(data.orderBy, REGISTERED_MODEL_ORDER));
  const offset = decodeOffset(data.pageToken);
  const rows = await ctx.db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.projectId, ctx.project.id), compileFilter(filter, modelResolver)))
    .orderBy(
      ...order.map((t) => (t.ascending ? sql`${modelAttribute(t.identifier.key)} asc` : sql`${modelAttribute(t.identifier.key)} desc`)),
      asc(registeredModels.name),
    )
    .offset(offset)
    .limit(data.maxResults + 1);
  const more = rows.length > data.maxResults;
  const page = more ? rows.slice(0, data.maxResults) : rows;
  return { registeredModels: await presentModels(ctx, page), nextPageToken: more ? encodeOffset(offset + data.maxResults) : undefined };
}

function versionAttribute(name: string): SQL {
  switch (name) {
    case "name":
      return sql`${registeredModels.name}`;
    case "version_number":
      return sql`${modelVersions.version}`;
    case "run_id":
      return sql`replace(${modelVersions.runId}::text, '-', '')`;
    case "source_path":
      return sql`${modelVersions.source}`;
    case "creation_timestamp":
      return millis(modelVersions.createdAt);
    case "last_updated_timestamp":
      return millis(modelVersions.updatedAt);
    default:
      throw invalid(`Unknown model version attribute '${name}'`);
  }
}

const versionResolver: Resolver = (id) =>
  id.kind === "tag"
    ? taggedWith(id.key, sql`select 1 from model_version_tags t where t.version_id = ${modelVersions.id} and t.key = ${id.key}`)
    : { kind: "column", expr: versionAttribute(id.key) };

export const searchVersionsInput = z.object({
  filter: z.string().max(10_000).optional(),
  maxResults: maxResultsField(10_000, 200_000),
  orderBy: orderByField,
  pageToken: z.string().max(200).optional(),
});

/** Model version search; newest change first by default, then name, then highest version. */
export async function searchModelVersions({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchVersionsInput> }) {
  const data = parseInput(searchVersionsInput, input);
  const filter = parsed(() => parseFilter(data.filter, MODEL_VERSION_FILTER));
  const order = parsed(() => parseOrderBy(data.orderBy, MODEL_VERSION_ORDER));
  const offset = decodeOffset(data.pageToken);
  const rows = await ctx.db
    .select({ version: modelVersions, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(and(eq(modelVersions.projectId, ctx.project.id), isNull(modelVersions.deletedAt), compileFilter(filter, versionResolver)))
    .orderBy(
      ...(order.length
        ? order.map((t) => (t.ascending ? sql`${versionAttribute(t.identifier.key)} asc` : sql`${versionAttribute(t.identifier.key)} desc`))
        : [desc(modelVersions.updatedAt)]),
      asc(registeredModels.name),
      desc(modelVersions.version),
    )
    .offset(offset)
    .limit(data.maxResults + 1);
  const more = rows.length > data.maxResults;
  const page = more ? rows.slice(0, data.maxResults) : rows;
  const names = new Map(page.map((r) => [r.version.modelId, r.name]));
  return {
    modelVersions: await presentVersions(
      ctx,
      page.map((r) => r.version),
      names,
    ),
    nextPageToken: more ? encodeOffset(offset + data.maxResults) : undefined,
  };
}
