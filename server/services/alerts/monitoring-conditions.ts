import { and, eq, inArray } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { modelVersions } from "../../db/schema";
import { monitoringConfig } from "../monitoring/config";
import { isWorse } from "../monitoring/production-metric";
import { validationMetric } from "../monitoring/validation-metric";
import { monitoredTargets, targetWindows, type TargetWindow } from "../monitoring/views";
import type { Holding } from "./lifecycle";
import { LOOKBACK_HOURS, type ConfigOf } from "./rule-config";

const HOUR_MS = 3_600_000;
const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
type Model = { id: string; name: string };
const targetLabel = (model: Model, target: string) => (target ? `${model.name}@${target}` : `${model.name} (versions addressed directly)`);
const targetSubject = (target: string) => `target:${target}`;

/** The target's windows over the look-back, up to and including the current hour. */
function recentWindows(ctx: ProjectContext, modelId: string, target: string, now: number): Promise<TargetWindow[]> {
  const to = hourOf(now) + HOUR_MS;
  return targetWindows(ctx, modelId, target, { from: new Date(to - LOOKBACK_HOURS * HOUR_MS), to: new Date(to) });
}

/**
 * Drift: per column, the statistic stayed above the threshold in each of the target's latest K
 * windows that saw records (an hour without records carries no evidence either way). A column whose
 * kind has no such statistic (KS is numeric, JS categorical) never holds.
 */
export async function driftHolding(ctx: ProjectContext, model: Model, config: ConfigOf<"drift">, now: number): Promise<Holding[]> {
  const latest = (await recentWindows(ctx, model.id, config.target, now)).slice(-config.windows);
  if (latest.length < config.windows) return [];
  const columns = config.column ? [config.column] : Object.keys(latest.at(-1)!.drift);
  const holding: Holding[] = [];
  for (const column of columns) {
    const values = latest.map((w) => w.drift[column]?.[config.statistic] ?? null);
    if (!values.every((v): v is number => v !== null && v > config.threshold)) continue;
    const last = values.at(-1)!;
    holding.push({
      subject: `${targetSubject(config.target)}/column:${column}`,
      title: `Drift on '${column}' at ${targetLabel(model, config.target)}: ${config.statistic.toUpperCase()} ${last.toFixed(3)} above ${config.threshold} for ${config.windows} window(s)`,
      details: {
        target: config.target,
        column,
        statistic: config.statistic,
        threshold: config.threshold,
        windows: latest.map((w, i) => ({ windowStart: w.windowStart.toISOString(), value: values[i] })),
      },
    });
  }
  return holding;
}

/**
 * Decay: in each of the target's latest K windows with labels, the production metric was worse than
 * the serving version's validation value by more than the margin (the latest version when two served
 * the hour). No validation value, no decay.
 */
export async function decayHolding(ctx: ProjectContext, model: Model, config: ConfigOf<"decay">, now: number): Promise<Holding[]> {
  const latest = (await recentWindows(ctx, model.id, config.target, now)).filter((w) => w.metric !== null).slice(-config.windows);
  if (latest.length < config.windows) return [];
  const monitoring = await monitoringConfig(ctx, model.id);
  const numbers = [...new Set(latest.map((w) => Math.max(...w.versions)))];
  const versions = await ctx.db
    .select({ version: modelVersions.version, runId: modelVersions.runId })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.projectId, ctx.project.id), inArray(modelVersions.version, numbers)));
  const validation = new Map<number, number | null>();
  for (const v of versions) validation.set(v.version, (await validationMetric(ctx, v.runId, monitoring)).value);
  const compared = latest.map((w) => ({ w, version: Math.max(...w.versions), validation: validation.get(Math.max(...w.versions)) ?? null }));
  if (!compared.every((c) => c.validation !== null && isWorse(monitoring.metric, c.w.metric!, c.validation, config.margin))) return [];
  const last = compared.at(-1)!;
  return [
    {
      subject: targetSubject(config.target),
      title: `Production ${monitoring.metric} at ${targetLabel(model, config.target)} is ${last.w.metric!.toFixed(3)}, worse than validation (${last.validation!.toFixed(3)}) by more than ${config.margin} for ${config.windows} window(s)`,
      details: {
        target: config.target,
        metric: monitoring.metric,
        margin: config.margin,
        windows: compared.map((c) => ({ windowStart: c.w.windowStart.toISOString(), version: c.version, production: c.w.metric, validation: c.validation })),
      },
    },
  ];
}

/**
 * No traffic: the target saw no record in the last N hours, counted from its latest record or, for
 * a target that never saw one, from when the rule was made. Aggregates keep hours, so a record
 * counts for its whole hour (the alert may open up to an hour late, never early).
 */
export async function noTrafficHolding(ctx: ProjectContext, model: Model, config: ConfigOf<"no_traffic">, since: Date, now: number): Promise<Holding[]> {
  const served = (await monitoredTargets(ctx, model.id)).find((t) => t.target === config.target);
  const cutoff = hourOf(now - config.hours * HOUR_MS);
  const last = served?.lastRecordAt ?? null;
  const quiet = last ? last.getTime() < cutoff : since.getTime() <= now - config.hours * HOUR_MS;
  if (!quiet) return [];
  return [
    {
      subject: targetSubject(config.target),
      title: `No traffic at ${targetLabel(model, config.target)} for ${config.hours} hour(s)`,
      details: { target: config.target, hours: config.hours, lastRecordHour: last?.toISOString() ?? null },
    },
  ];
}
