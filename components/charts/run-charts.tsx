"use client";

import { EmptyState } from "../ui/empty-state";
import { ChartBoard } from "./chart-board";
import type { ChartLayout, MetricEntry } from "./chart-sections";

/** One run's charts on its page, with my layout as the page loaded it. */
export function RunCharts(props: {
  slug: string;
  runId: string;
  metrics: MetricEntry[];
  primaryKey: string | null;
  initialLayout: ChartLayout;
  canSaveLayout: boolean;
}) {
  return (
    <ChartBoard
      slug={props.slug}
      runIds={[props.runId]}
      metrics={props.metrics}
      primaryKey={props.primaryKey}
      initialLayout={props.initialLayout}
      canSaveLayout={props.canSaveLayout}
      empty={
        <EmptyState
          title="No metrics to chart yet"
          description={
            <>
              Metrics logged with <code className="font-mono text-xs">mlflow.log_metric()</code> appear here as charts, updated when you reload.
            </>
          }
        />
      }
    />
  );
}
