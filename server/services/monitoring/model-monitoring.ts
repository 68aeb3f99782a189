import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelAliases, modelVersions, monitoringReferences } from "../../db/schema";
import { parseInput } from "../../errors";
import { modelByName, modelNameField } from "../registry/shared";
import { METRICS_OF_TASK, monitoringConfig } from "./config";
import { validationMetric } from "./validation-metric";
import { monitoredTargets, rangeInput, targetDrift, targetWindows } from "./views";

export const modelMonitoringInput = z.object({ name: modelNameField });

/**
 * What a model's monitoring page lists: its settings, every target that served records or is an
 * alias now (so a freshly promoted alias shows before its first record), and the versions that
 * have a reference to be compared with.
 */
export async function getModelMonitoring(ctx: ProjectContext, input: z.input<typeof modelMonitoringInput>) {
  const { name } = parseInput(modelMonitoringInput, input);
  const model = await modelByName(ctx, name);
  const [config, served, aliases, references] = await Promise.all([
    monitoringConfig(ctx, model.id),
    monitoredTargets(ctx, model.id),
    ctx.db
      .select({ alias: modelAliases.alias, version: modelVersions.version })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelVersions.projectId, ctx.project.id)))
      .orderBy(asc(modelAliases.alias)),
    ctx.db
      .select({
        version: modelVersions.version,
        rows: monitoringReferences.rows,
        source: monitoringReferences.source,
        createdAt: monitoringReferences.createdAt,
      })
      .from(monitoringReferences)
      .innerJoin(modelVersions, eq(modelVersions.id, monitoringReferences.versionId))
      .where(and(eq(monitoringReferences.modelId, model.id), eq(monitoringReferences.projectId, ctx.project.id)))
      .orderBy(asc(modelVersions.version)),
  ]);
  const aliasVersion = new Map(aliases.map((a) => [a.alias, a.version]));
  const targets = [
    ...served.map((t) => ({ ...t, aliasVersion: aliasVersion.get(t.target) ?? null })),
    ...aliases
      .filter((a) => !served.some((t) => t.target === a.alias))
      .map((a) => ({ target: a.alias, versions: [], records: 0, lastRecordAt: null, aliasVersion: a.version })),
  ];
  return { model: { name: model.name }, config, metricsOfTask: METRICS_OF_TASK, targets, references };
}

export const targetMonitoringInput = z.object({
  name: modelNameField,
  /** An alias, or "" for the records that addressed a version directly. */
  target: z.string().max(255),
  range: rangeInput,
});

/** One target over a range: its hourly windows, each column's drift over the whole range, and the validation value of each version that served it. */
export async function getTargetMonitoring(ctx: ProjectContext, input: z.input<typeof targetMonitoringInput>) {
  const { name, target, range } = parseInput(targetMonitoringInput, input);
  const model = await modelByName(ctx, name);
  const [config, windows, drift] = await Promise.all([
    monitoringConfig(ctx, model.id),
    targetWindows(ctx, model.id, target, range),
    targetDrift(ctx, model.id, target, range),
  ]);
  const served = [...new Set(windows.flatMap((w) => w.versions))].sort((a, b) => a - b);
  const runs = served.length
    ? await ctx.db
        .select({ version: modelVersions.version, runId: modelVersions.runId })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.projectId, ctx.project.id)))
    : [];
  const validations = await Promise.all(
    served.map(async (version) => ({ version, ...(await validationMetric(ctx, runs.find((r) => r.version === version)?.runId ?? null, config)) })),
  );
  return { config, range, windows, drift, validations };
}
