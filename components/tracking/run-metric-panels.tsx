"use client";

import { useMemo } from "react";
import { RunCharts } from "../charts/run-charts";
import type { ChartLayout } from "../charts/chart-sections";
import { Card, CardBody, CardHeader } from "../ui/card";
import { fromMetricColumns, type MetricColumns } from "./metric-columns";
import { MetricSummaryTable } from "./metric-summary-table";

/** A run's charts and metrics table, from one columnar copy of its metric summaries. */
export function RunMetricPanels(props: {
  slug: string;
  runId: string;
  metrics: MetricColumns;
  primaryKey: string | null;
  layout: ChartLayout;
  canSaveLayout: boolean;
}) {
  const metrics = useMemo(() => fromMetricColumns(props.metrics), [props.metrics]);
  return (
    <>
      <Card className="lg:col-span-3">
        <CardHeader title="Charts" description="Drag across a chart to zoom in (it refetches at full detail), double-click to zoom out." />
        <CardBody>
          <RunCharts
            slug={props.slug}
            runId={props.runId}
            metrics={metrics}
            primaryKey={props.primaryKey}
            initialLayout={props.layout}
            canSaveLayout={props.canSaveLayout}
          />
        </CardBody>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader title="Metrics" description={`${metrics.length.toLocaleString()} logged`} />
        <MetricSummaryTable metrics={metrics} />
      </Card>
    </>
  );
}
