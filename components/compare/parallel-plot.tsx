"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import type { CompareKey, CompareRun } from "@/server/services/tracking/compare";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Select } from "../ui/input";
import { axisOf, axisValue, columnValues, defaultChartKeys, formatNumber, valuesDiffer, type Axis, type Column } from "./compare-data";
import { chartTheme, EChart, type CompareChartOption } from "./echart";
import { KeyPicker } from "./key-picker";
import { runTooltip } from "./run-tooltip";

const MAX_AXES = 12;
const DEFAULT_PARAM_AXES = 6;
// Sequential ramps readable on each background: low values cool, high values warm.
const RAMP = { light: ["#312e81", "#0f766e", "#65a30d", "#d97706", "#dc2626"], dark: ["#818cf8", "#2dd4bf", "#a3e635", "#fbbf24", "#f87171"] };

type Props = {
  slug: string;
  runs: CompareRun[];
  colors: string[];
  paramKeys: CompareKey[];
  metricKeys: CompareKey[];
  primaryKey?: string | null;
  dark: boolean;
};

/**
 * Parallel coordinates: one vertical axis per chosen param or metric, one line per run, coloured
 * by a chosen metric. Numeric columns get value axes; anything else a category axis. Drag along an
 * axis to keep only the runs inside that band; click a line to open its run.
 */
export function ParallelPlot(props: Props) {
  const { runs, paramKeys, metricKeys, dark } = props;
  const id = useId();
  const router = useRouter();
  const [params, setParams] = useState(() =>
    paramKeys
      .filter(({ key }) => valuesDiffer(columnValues(runs, { kind: "param", key }) as (string | undefined)[]))
      .slice(0, DEFAULT_PARAM_AXES)
      .map((k) => k.key),
  );
  const firstMetric =
    props.primaryKey && metricKeys.some((k) => k.key === props.primaryKey) ? props.primaryKey : defaultChartKeys(metricKeys, runs.length, null, 1)[0];
  const [metrics, setMetrics] = useState<string[]>(() => (firstMetric ? [firstMetric] : []));
  const [colorBy, setColorBy] = useState(firstMetric ?? "");

  const plot = useMemo(() => {
    const columns: Column[] = [...params.map((key) => ({ kind: "param" as const, key })), ...metrics.map((key) => ({ kind: "metric" as const, key }))];
    if (colorBy && !metrics.includes(colorBy)) columns.push({ kind: "metric", key: colorBy });
    const raw = columns.map((c) => columnValues(runs, c));
    const axes = raw.map((values) => axisOf(values));
    const lines: { run: number; values: (number | string)[] }[] = [];
    runs.forEach((_, run) => {
      const values = axes.map((axis, a) => axisValue(axis, raw[a]![run]));
      if (values.every((v) => v !== null)) lines.push({ run, values: values as (number | string)[] });
    });
    const colorIndex = colorBy ? columns.findIndex((c) => c.kind === "metric" && c.key === colorBy) : -1;
    return { columns, raw, axes, lines, colorIndex };
  }, [runs, params, metrics, colorBy]);

  const option = useMemo(() => parallelOption({ ...plot, runs, colors: props.colors, dark }), [plot, runs, props.colors, dark]);
  const dropped = runs.length - plot.lines.length;

  return (
    <Card>
      <CardHeader
        title="Parallel coordinates"
        description="Params against metrics, one line per run. Drag along an axis to filter; click a line to open its run."
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <KeyPicker
              label="Params"
              options={paramKeys.map((k) => ({ value: k.key, label: k.key }))}
              selected={params}
              onChange={setParams}
              max={MAX_AXES}
              placeholder="Search params"
            />
            <KeyPicker
              label="Metrics"
              options={metricKeys.map((k) => ({ value: k.key, label: k.key }))}
              selected={metrics}
              onChange={setMetrics}
              max={MAX_AXES}
              placeholder="Search metrics"
            />
            <label htmlFor={`${id}-color`} className="text-sm text-stone-600 dark:text-stone-300">
              Colour by
            </label>
            <Select id={`${id}-color`} value={colorBy} onChange={(e) => setColorBy(e.target.value)} className="h-8 w-48 font-mono text-xs">
              <option value="">Run colours</option>
              {metricKeys.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.key}
                </option>
              ))}
            </Select>
          </div>
        }
      />
      <CardBody>
        {plot.columns.length < 2 ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">Choose at least two params or metrics to draw their axes.</p>
        ) : !plot.lines.length ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">No run has a value on every numeric axis; choose other columns.</p>
        ) : (
          <>
            <EChart
              option={option}
              height={380}
              label={`Parallel coordinates of ${plot.columns.map((c) => c.key).join(", ")} for ${plot.lines.length} runs`}
              onItemClick={(event) => {
                const run = runs[(event.data as { run?: number } | undefined)?.run ?? -1];
                if (run) router.push(`/p/${props.slug}/runs/${run.runId}`);
              }}
            />
            {dropped > 0 && (
              <p className="mt-2 text-xs text-stone-500 dark:text-stone-400">
                {dropped} of {runs.length} runs lack a value on a numeric axis and are not drawn.
              </p>
            )}
          </>
        )}
      </CardBody>
    </Card>
  );
}

function parallelOption(args: {
  columns: Column[];
  raw: (string | number | undefined)[][];
  axes: Axis[];
  lines: { run: number; values: (number | string)[] }[];
  colorIndex: number;
  runs: CompareRun[];
  colors: string[];
  dark: boolean;
}): CompareChartOption {
  const { columns, raw, axes, lines, colorIndex, runs, dark } = args;
  const theme = chartTheme(dark);
  const colorAxis = colorIndex >= 0 ? axes[colorIndex] : undefined;
  const gradient = colorAxis?.type === "value" && lines.length > 0;
  const shown = lines.map((l) => l.values[colorIndex] as number);
  return {
    backgroundColor: "transparent",
    textStyle: { fontFamily: theme.font },
    animation: false,
    parallel: {
      left: 56,
      right: 72,
      top: 44,
      bottom: gradient ? 64 : 28,
      parallelAxisDefault: {
        nameLocation: "end",
        nameGap: 14,
        nameTextStyle: { color: theme.strong, fontSize: 11, fontFamily: "ui-monospace, monospace" },
        nameTruncate: { maxWidth: 140 },
        axisLine: { lineStyle: { color: theme.axis } },
        axisTick: { lineStyle: { color: theme.axis } },
        // Labels sit on the lines: a backing keeps them legible.
        axisLabel: { color: theme.text, fontSize: 10, hideOverlap: true, backgroundColor: theme.background, padding: [1, 3], borderRadius: 2 },
        splitLine: { show: false },
        areaSelectStyle: { width: 16, borderColor: dark ? "#2dd4bf" : "#0d9488", color: dark ? "rgba(45,212,191,0.2)" : "rgba(13,148,136,0.15)" },
      },
    },
    parallelAxis: columns.map((column, dim) => {
      const axis = axes[dim]!;
      const name = column.key;
      return axis.type === "value"
        ? { dim, name, type: "value", scale: true, axisLabel: { formatter: (v: number) => formatNumber(v) } }
        : { dim, name, type: "category", data: axis.categories };
    }),
    ...(gradient && {
      visualMap: {
        type: "continuous",
        dimension: colorIndex,
        min: Math.min(...shown),
        max: Math.max(...shown),
        calculable: true,
        precision: 4,
        orient: "horizontal",
        left: "center",
        bottom: 4,
        itemWidth: 12,
        itemHeight: 220,
        text: [`high ${columns[colorIndex]!.key}`, "low"],
        textGap: 10,
        textStyle: { color: theme.text, fontSize: 11 },
        inRange: { color: dark ? RAMP.dark : RAMP.light },
      },
    }),
    tooltip: runTooltip({ runs, colors: args.colors, dark, rowsOf: (run) => columns.map((c, a) => [c.key, raw[a]![run]]) }),
    series: [
      {
        type: "parallel",
        smooth: false,
        inactiveOpacity: 0.06,
        activeOpacity: 1,
        lineStyle: { width: 2, opacity: lines.length > 40 ? 0.5 : 0.8 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: lines.map((line) => ({
          name: runs[line.run]!.runName,
          value: line.values,
          run: line.run,
          ...(!gradient && { lineStyle: { color: args.colors[line.run] } }),
        })),
      },
    ],
  };
}
