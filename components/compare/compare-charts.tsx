"use client";

import { useState } from "react";
import type { CompareKey } from "@/server/services/tracking/compare";
import { MetricChart } from "../charts/metric-chart";
import { Card, CardBody, CardHeader } from "../ui/card";
import { defaultChartKeys } from "./compare-data";
import { KeyPicker } from "./key-picker";

const MAX_CHARTS = 12;

/** Overlaid histories of chosen metrics, one chart per metric with every run on it. */
export function CompareCharts(props: { slug: string; runIds: string[]; keys: CompareKey[]; series: ReadonlySet<string>; primaryKey?: string | null }) {
  const { keys, runIds } = props;
  // Metrics logged once per run (a final test score) say more in the table and scatter than as a chart.
  const [chosen, setChosen] = useState(() => {
    const histories = keys.filter((k) => props.series.has(k.key));
    return defaultChartKeys(histories.length ? histories : keys, runIds.length, props.primaryKey);
  });
  const options = keys.map((k) => ({
    value: k.key,
    label: k.key,
    group: k.key.startsWith("system/") ? "System metrics" : "Metrics",
    hint: `${k.runCount}/${runIds.length}`,
  }));
  options.sort((a, b) => (a.group === b.group ? 0 : a.group === "Metrics" ? -1 : 1));

  return (
    <Card>
      <CardHeader
        title="Charts"
        description="Every run on each chart. Drag across a chart to zoom in, double-click to zoom out."
        actions={
          keys.length > 0 && (
            <KeyPicker label="Metrics" options={options} selected={chosen} onChange={setChosen} max={MAX_CHARTS} placeholder="Search metrics" />
          )
        }
      />
      <CardBody>
        {!keys.length ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">No metrics to chart.</p>
        ) : !chosen.length ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">Choose metrics to chart with the Metrics menu.</p>
        ) : (
          <div className="grid gap-4 lg:grid-cols-2">
            {chosen.map((key) => (
              <MetricChart
                key={key}
                slug={props.slug}
                runIds={runIds}
                metricKey={key}
                height={240}
                defaultXMode={key.startsWith("system/") ? "relative" : "step"}
                maxPoints={runIds.length > 20 ? 500 : 1000}
              />
            ))}
          </div>
        )}
      </CardBody>
    </Card>
  );
}
