import { and, eq, isNull } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { experiments, metricSeries, runs } from "../../db/schema";
import { runIdOf } from "../tracking/ids";
import type { Holding } from "./lifecycle";
import { compares, type ConfigOf } from "./rule-config";

const COMPARISON_SIGNS = { lt: "<", lte: "≤", gt: ">", gte: "≥" } as const;

export type WatchedRun = { id: string; name: string; status: string; experimentNumber: number; experimentName: string };

/** The run as training rules see it; null once it is deleted (its alerts then resolve). */
export async function watchedRun(ctx: ProjectContext, runUuid: string): Promise<WatchedRun | null> {
  const [run] = await ctx.db
    .select({ id: runs.id, name: runs.name, status: runs.status, experimentNumber: experiments.number, experimentName: experiments.name })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(and(eq(runs.id, runUuid), eq(runs.projectId, ctx.project.id), isNull(runs.deletedAt)));
  return run ?? null;
}

/** The subject prefix of one run's alerts, the scope its evaluation resolves within. */
export const runSubject = (runUuid: string) => `run:${runUuid}`;

const inExperiment = (config: { experimentId?: string }, run: WatchedRun) =>
  config.experimentId === undefined || Number(config.experimentId) === run.experimentNumber;

const runDetails = (run: WatchedRun) => ({
  runId: runIdOf(run.id),
  runName: run.name,
  experimentId: String(run.experimentNumber),
  experiment: run.experimentName,
});

/** Run failed: the run (in the rule's experiment, if it names one) has status FAILED. */
export function runFailedHolding(run: WatchedRun, config: ConfigOf<"run_failed">): Holding[] {
  if (!inExperiment(config, run) || run.status !== "FAILED") return [];
  return [{ subject: runSubject(run.id), title: `Run '${run.name}' in ${run.experimentName} failed`, details: runDetails(run) }];
}

/** Metric threshold: the latest value the run logged for the key crosses the value by the comparison. */
export async function metricThresholdHolding(ctx: ProjectContext, run: WatchedRun, config: ConfigOf<"metric_threshold">): Promise<Holding[]> {
  if (!inExperiment(config, run)) return [];
  const [series] = await ctx.db
    .select({ value: metricSeries.value, step: metricSeries.step })
    .from(metricSeries)
    .where(and(eq(metricSeries.runId, run.id), eq(metricSeries.key, config.metric)));
  if (!series || !compares(config.comparison, series.value, config.value)) return [];
  return [
    {
      subject: `${runSubject(run.id)}/metric:${config.metric}`,
      title: `${config.metric} of run '${run.name}' is ${series.value} (${COMPARISON_SIGNS[config.comparison]} ${config.value})`,
      details: { ...runDetails(run), metric: config.metric, value: series.value, step: series.step, comparison: config.comparison, threshold: config.value },
    },
  ];
}
