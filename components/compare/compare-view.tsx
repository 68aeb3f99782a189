"use client";

import { X } from "lucide-react";
import { ListLink } from "../ui/list-link";
import { useMemo } from "react";
import type { CompareReply } from "@/server/services/tracking/compare";
import { runColor } from "../charts/metric-chart";
import { RunStatus } from "../tracking/run-status";
import { Badge } from "../ui/badge";
import { useDark } from "../ui/use-dark";
import { Card, CardBody, CardHeader } from "../ui/card";
import { CompareCharts } from "./compare-charts";
import { compareHref } from "./compare-data";
import { MetricTable } from "./metric-table";
import { Swatch } from "./run-columns";
import { ParallelPlot } from "./parallel-plot";
import { ScatterPlot } from "./scatter-plot";
import { ValueTable } from "./value-table";

/**
 * The compare page below its header: the runs, their params, metrics and tags side by side, the
 * overlaid metric charts, and the parallel-coordinates and scatter plots. Each run keeps one colour
 * everywhere: its position in the list picks it, as in the charts.
 */
export function CompareView({ slug, reply }: { slug: string; reply: CompareReply }) {
  const dark = useDark();
  const { runs } = reply;
  const palette = useMemo(() => runs.map((_, i) => ({ light: runColor(i, false), dark: runColor(i, true) })), [runs]);
  const colors = useMemo(() => palette.map((c) => (dark ? c.dark : c.light)), [palette, dark]);
  const runIds = useMemo(() => runs.map((r) => r.runId), [runs]);
  const series = useMemo(() => new Set(runs.flatMap((r) => r.metrics.filter((m) => m.count > 1).map((m) => m.key))), [runs]);

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Runs" description="Each run keeps its colour in every table and chart below." />
        <CardBody>
          <ul className="flex flex-wrap gap-2" aria-label="Runs compared">
            {runs.map((run, i) => (
              <li
                key={run.runId}
                className="inline-flex max-w-full min-w-0 items-center gap-2 rounded-md border border-stone-200 bg-stone-50 py-1 pr-1 pl-2.5 text-sm dark:border-stone-700 dark:bg-stone-800/50"
              >
                <Swatch color={palette[i]!} className="size-2.5" />
                <ListLink
                  href={`/p/${slug}/runs/${run.runId}`}
                  className="max-w-64 truncate font-medium hover:underline"
                  title={`${run.runName} (${run.runId})`}
                >
                  {run.runName}
                </ListLink>
                <span className="hidden max-w-40 truncate text-xs text-stone-500 sm:inline dark:text-stone-400" title={`Experiment ${run.experimentName}`}>
                  {run.experimentName}
                </span>
                <RunStatus status={run.status} />
                {run.lifecycleStage === "deleted" && <Badge tone="red">deleted</Badge>}
                {runs.length > 2 ? (
                  <ListLink
                    href={compareHref(
                      slug,
                      runIds.filter((id) => id !== run.runId),
                    )}
                    scroll={false}
                    className="rounded p-1 text-stone-400 hover:bg-stone-200 hover:text-stone-700 dark:hover:bg-stone-700 dark:hover:text-stone-200"
                    aria-label={`Remove ${run.runName} from the comparison`}
                    title="Remove from the comparison"
                  >
                    <X className="size-3.5" aria-hidden />
                  </ListLink>
                ) : (
                  <span className="w-1" aria-hidden />
                )}
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>

      <ValueTable title="Parameters" noun="parameter" runs={runs} palette={palette} keys={reply.paramKeys} field="params" />

      <MetricTable runs={runs} palette={palette} keys={reply.metricKeys} primary={reply.primaryMetric} />

      <CompareCharts slug={slug} runIds={runIds} keys={reply.metricKeys} series={series} primaryKey={reply.primaryMetric?.key} />

      <ParallelPlot
        slug={slug}
        runs={runs}
        colors={colors}
        paramKeys={reply.paramKeys}
        metricKeys={reply.metricKeys}
        primaryKey={reply.primaryMetric?.key}
        dark={dark}
      />

      <ScatterPlot
        slug={slug}
        runs={runs}
        colors={colors}
        paramKeys={reply.paramKeys}
        metricKeys={reply.metricKeys}
        primaryKey={reply.primaryMetric?.key}
        dark={dark}
      />

      <ValueTable title="Tags" noun="tag" runs={runs} palette={palette} keys={reply.tagKeys} field="tags" />
    </div>
  );
}
