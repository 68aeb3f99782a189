import { and, eq, inArray, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { experiments, metricSeries, runParams, runs, runTags } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { runIdOf, uuidOfRunId } from "./ids";
import { NOTE_TAG } from "./overview";
import { runIdField, type KeyValue, type RunStatus } from "./runs";

export const COMPARE_MIN_RUNS = 2;
export const COMPARE_MAX_RUNS = 100;

/** Tags that hold documents rather than attributes: never compared, and too large to send 100 times. */
const BULKY_TAGS = [NOTE_TAG, "mlflow.log-model.history"];

export const compareRunsInput = z.object({
  runIds: z
    .array(runIdField)
    .min(COMPARE_MIN_RUNS, `Name at least ${COMPARE_MIN_RUNS} runs to compare`)
    .max(COMPARE_MAX_RUNS, `Compare at most ${COMPARE_MAX_RUNS} runs`),
});

/** A run's metric as the compare view shows it: the latest value, its step, and the range over the run. */
type CompareMetric = { key: string; value: number; step: number; min: number | null; max: number | null; count: number };

export type CompareRun = {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  userId: string;
  lifecycleStage: "active" | "deleted";
  params: KeyValue[];
  metrics: CompareMetric[];
  tags: KeyValue[];
};

export type CompareKey = { key: string; runCount: number };

export type CompareReply = {
  /** The runs in the order asked for (duplicates dropped): the order of colours everywhere. */
  runs: CompareRun[];
  /** The union of keys across the runs, sorted, each with how many runs carry it. */
  paramKeys: CompareKey[];
  metricKeys: CompareKey[];
  tagKeys: CompareKey[];
  /** The project's primary metric, whose goal says whether lower or higher is better. */
  primaryMetric: { key: string; goal: "min" | "max" } | null;
};

/**
 * Two to a hundred runs of the project side by side: each run's attributes, params, latest metrics
 * and tags, and the union of their keys. Four queries whatever the number of runs; a run of
 * another project (or none at all) is NOT_FOUND, naming the first one missing.
 */
export async function compareRuns({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof compareRunsInput> }): Promise<CompareReply> {
  const { runIds } = parseInput(compareRunsInput, input);
  // One entry per run, in the order given, whichever spelling of its id came first.
  const asked = new Map<string, string>();
  for (const id of runIds) {
    const uuid = uuidOfRunId(id);
    if (!uuid) throw notFound(`Run '${id}' not found`);
    if (!asked.has(uuid)) asked.set(uuid, id);
  }
  if (asked.size < COMPARE_MIN_RUNS) throw invalid(`Name at least ${COMPARE_MIN_RUNS} different runs to compare`);
  const uuids = [...asked.keys()];

  // Each query carries the project filter itself, so all four can run at once.
  const inProject = and(eq(runs.projectId, ctx.project.id), inArray(runs.id, uuids));
  const [runRows, paramRows, metricRows, tagRows] = await Promise.all([
    ctx.db
      .select({
        id: runs.id,
        name: runs.name,
        status: runs.status,
        startTime: runs.startTime,
        endTime: runs.endTime,
        userName: runs.userName,
        deletedAt: runs.deletedAt,
        experimentNumber: experiments.number,
        experimentName: experiments.name,
      })
      .from(runs)
      .innerJoin(experiments, eq(experiments.id, runs.experimentId))
      .where(inProject),
    ctx.db
      .select({ runId: runParams.runId, key: runParams.key, value: runParams.value })
      .from(runParams)
      .innerJoin(runs, eq(runs.id, runParams.runId))
      .where(inProject),
    ctx.db
      .select({
        runId: metricSeries.runId,
        key: metricSeries.key,
        value: metricSeries.value,
        step: metricSeries.step,
        min: metricSeries.min,
        max: metricSeries.max,
        count: metricSeries.count,
      })
      .from(metricSeries)
      .innerJoin(runs, eq(runs.id, metricSeries.runId))
      .where(inProject),
    ctx.db
      .select({ runId: runTags.runId, key: runTags.key, value: runTags.value })
      .from(runTags)
      .innerJoin(runs, eq(runs.id, runTags.runId))
      .where(and(inProject, notInArray(runTags.key, BULKY_TAGS))),
  ]);

  const found = new Map(runRows.map((row) => [row.id, row]));
  const missing = uuids.find((uuid) => !found.has(uuid));
  if (missing) throw notFound(`Run '${asked.get(missing)}' not found`);

  const paramsBy = groupByRun(paramRows, ({ key, value }) => ({ key, value }));
  const metricsBy = groupByRun(metricRows, ({ key, value, step, min, max, count }) => ({ key, value, step, min, max, count }));
  const tagsBy = groupByRun(tagRows, ({ key, value }) => ({ key, value }));

  return {
    runs: uuids.map((uuid) => {
      const row = found.get(uuid)!;
      return {
        runId: runIdOf(row.id),
        runName: row.name,
        experimentId: String(row.experimentNumber),
        experimentName: row.experimentName,
        status: row.status,
        startTime: row.startTime,
        endTime: row.endTime,
        userId: row.userName,
        lifecycleStage: row.deletedAt ? "deleted" : "active",
        params: paramsBy.get(uuid) ?? [],
        metrics: metricsBy.get(uuid) ?? [],
        tags: tagsBy.get(uuid) ?? [],
      };
    }),
    paramKeys: keyUnion(paramRows),
    metricKeys: keyUnion(metricRows),
    tagKeys: keyUnion(tagRows),
    primaryMetric:
      ctx.project.primaryMetricKey && ctx.project.primaryMetricGoal ? { key: ctx.project.primaryMetricKey, goal: ctx.project.primaryMetricGoal } : null,
  };
}

function groupByRun<R extends { runId: string }, T>(rows: R[], pick: (row: R) => T): Map<string, T[]> {
  const byRun = new Map<string, T[]>();
  for (const row of rows) {
    const list = byRun.get(row.runId);
    if (list) list.push(pick(row));
    else byRun.set(row.runId, [pick(row)]);
  }
  return byRun;
}

/** Keys are unique per run (primary keys), so counting rows counts runs. */
function keyUnion(rows: { key: string }[]): CompareKey[] {
  const counts = new Map<string, number>();
  for (const { key } of rows) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([key, runCount]) => ({ key, runCount })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
