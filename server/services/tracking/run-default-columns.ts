import { asc, count, desc, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { metricSeries, runParams, runs } from "../../db/schema";
import { parseInput } from "../../errors";
import type { FilterExpr } from "../../search/filter";
import { columnId, defaultColumns } from "./run-columns";
import { columnOf, runViewOf, runViewSchema, sortField } from "./run-view-input";
import { runViewWhere } from "./search";

export const defaultRunColumnsInput = runViewSchema.extend({
  sort: z.array(sortField).max(5).default([]),
});
export type DefaultRunColumnsInput = z.input<typeof defaultRunColumnsInput>;

/**
 * The keys are read from the latest runs in view, not from all of them: a bounded sample keeps the
 * query cheap at 100,000 runs and 10,000 keys (an index range on start time, then the primary keys
 * of the side tables), and the latest runs are the ones people are looking at.
 */
const SAMPLE_RUNS = 100;
const MENTIONED = 8;

/** The metric and param keys a filter names, in the order it names them. */
function filterKeys(filter: FilterExpr | null, into: string[] = []): string[] {
  if (!filter) return into;
  if (filter.type !== "comparison") {
    for (const operand of filter.operands) filterKeys(operand, into);
    return into;
  }
  const { kind, key } = filter.identifier;
  if (kind === "metric") into.push(columnId("metrics", key));
  if (kind === "param") into.push(columnId("params", key));
  return into;
}

/**
 * The columns the runs table shows when the view names none (see `defaultColumns`): the project's
 * primary metric, the keys the filter and sort name, the metrics the latest runs in view logged
 * last and the params whose values differ most among them.
 */
export async function defaultRunColumns({ ctx, input }: { ctx: ProjectContext; input: DefaultRunColumnsInput }): Promise<{ columns: string[] }> {
  const data = parseInput(defaultRunColumnsInput, input);
  const view = runViewOf(data);
  const sorted = data.sort.map((t) => columnOf(t.column)!).filter((c) => c.kind === "metrics" || c.kind === "params");
  const mentioned = [...new Set([...filterKeys(view?.filter ?? null), ...sorted.map((c) => c.id)])].slice(0, MENTIONED);
  const sources = {
    // One experiment in view (its own page, or a project view narrowed to it): every row would repeat it.
    acrossExperiments: data.experimentIds.length !== 1,
    primaryMetric: ctx.project.primaryMetricKey,
    mentioned,
    recentMetrics: [] as string[],
    varyingParams: [] as string[],
  };
  if (!view) return { columns: defaultColumns(sources) };

  const latest = await ctx.db.select({ id: runs.id }).from(runs).where(runViewWhere(ctx, view)).orderBy(desc(runs.startTime), asc(runs.id)).limit(SAMPLE_RUNS);
  const ids = latest.map((r) => r.id);
  if (ids.length) {
    const distinctValues = sql`count(distinct ${runParams.value})`;
    const [metricRows, paramRows] = await Promise.all([
      ctx.db
        .select({ key: metricSeries.key })
        .from(metricSeries)
        .where(inArray(metricSeries.runId, ids))
        .groupBy(metricSeries.key)
        // System metrics last, so a handful of ordinary ones always fits under the limit.
        .orderBy(sql`${metricSeries.key} like 'system/%'`, desc(sql`max(${metricSeries.timestamp})`), asc(metricSeries.key))
        .limit(10),
      ctx.db
        .select({ key: runParams.key })
        .from(runParams)
        .where(inArray(runParams.runId, ids))
        .groupBy(runParams.key)
        .having(sql`${distinctValues} > 1`)
        .orderBy(desc(distinctValues), desc(count()), asc(runParams.key))
        .limit(5),
    ]);
    sources.recentMetrics = metricRows.map((r) => r.key);
    sources.varyingParams = paramRows.map((r) => r.key);
  }
  return { columns: defaultColumns(sources) };
}
