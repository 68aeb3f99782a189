"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import type { CompareKey, CompareRun } from "@/server/services/tracking/compare";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Select } from "../ui/input";
import {
  asNumber,
  axisOf,
  axisValue,
  columnId,
  columnOfId,
  columnValues,
  defaultChartKeys,
  formatNumber,
  valuesDiffer,
  type Axis,
  type Column,
} from "./compare-data";
import { chartTheme, EChart, type CompareChartOption } from "./echart";
import { runTooltip } from "./run-tooltip";

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
 * Any two columns (params or latest metrics) against each other, one point per run in its colour.
 * Numeric columns get value axes (log scale when every value is positive), others category axes.
 * Hover shows the run and both values; click opens the run.
 */
export function ScatterPlot(props: Props) {
  const { runs, paramKeys, metricKeys, dark } = props;
  const id = useId();
  const router = useRouter();
  const [x, setX] = useState(() => defaultX(runs, paramKeys, metricKeys));
  const [y, setY] = useState(() => defaultY(runs, metricKeys, props.primaryKey, x));
  const [logX, setLogX] = useState(false);
  const [logY, setLogY] = useState(false);

  const plot = useMemo(() => {
    const xc = columnOfId(x);
    const yc = columnOfId(y);
    if (!xc || !yc) return null;
    const xs = columnValues(runs, xc);
    const ys = columnValues(runs, yc);
    // A missing value has no place on a numeric axis; on a category axis it is a category of its own.
    const xAxis = axisOf(xs);
    const yAxis = axisOf(ys);
    const points = runs
      .map((_, i) => ({ run: i, x: axisValue(xAxis, xs[i]), y: axisValue(yAxis, ys[i]) }))
      .filter((p): p is { run: number; x: number | string; y: number | string } => p.x !== null && p.y !== null);
    return { xc, yc, xs, ys, xAxis, yAxis, points };
  }, [runs, x, y]);

  const canLogX = plot?.xAxis.type === "value" && plot.xAxis.positive;
  const canLogY = plot?.yAxis.type === "value" && plot.yAxis.positive;
  const option = useMemo(
    () => (plot ? scatterOption({ ...plot, runs, colors: props.colors, dark, logX: logX && canLogX, logY: logY && canLogY }) : null),
    [plot, runs, props.colors, dark, logX, logY, canLogX, canLogY],
  );

  const columnOptions = (
    <>
      {paramKeys.length > 0 && (
        <optgroup label="Params">
          {paramKeys.map((k) => (
            <option key={`p:${k.key}`} value={columnId({ kind: "param", key: k.key })}>
              {k.key}
            </option>
          ))}
        </optgroup>
      )}
      {metricKeys.length > 0 && (
        <optgroup label="Metrics (latest)">
          {metricKeys.map((k) => (
            <option key={`m:${k.key}`} value={columnId({ kind: "metric", key: k.key })}>
              {k.key}
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
  const checkbox = "size-3.5 rounded border-stone-300 accent-brand-600 disabled:opacity-40 dark:border-stone-600";

  return (
    <Card>
      <CardHeader
        title="Scatter"
        description="Any two columns, one point per run. Hover for values; click a point to open its run."
        actions={
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-stone-600 dark:text-stone-300">
            <span className="inline-flex items-center gap-2">
              <label htmlFor={`${id}-x`}>X</label>
              <Select id={`${id}-x`} value={x} onChange={(e) => setX(e.target.value)} className="h-8 w-48 font-mono text-xs">
                {columnOptions}
              </Select>
              <label className="inline-flex items-center gap-1.5" title={canLogX ? undefined : "Log scale needs positive numbers"}>
                <input type="checkbox" className={checkbox} checked={logX && canLogX} disabled={!canLogX} onChange={(e) => setLogX(e.target.checked)} />
                log
              </label>
            </span>
            <span className="inline-flex items-center gap-2">
              <label htmlFor={`${id}-y`}>Y</label>
              <Select id={`${id}-y`} value={y} onChange={(e) => setY(e.target.value)} className="h-8 w-48 font-mono text-xs">
                {columnOptions}
              </Select>
              <label className="inline-flex items-center gap-1.5" title={canLogY ? undefined : "Log scale needs positive numbers"}>
                <input type="checkbox" className={checkbox} checked={logY && canLogY} disabled={!canLogY} onChange={(e) => setLogY(e.target.checked)} />
                log
              </label>
            </span>
          </div>
        }
      />
      <CardBody>
        {!plot || !option ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">The runs have no params or metrics to plot.</p>
        ) : !plot.points.length ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">
            No run has both {plot.xc.key} and {plot.yc.key}.
          </p>
        ) : (
          <>
            <EChart
              option={option}
              height={380}
              label={`Scatter of ${plot.yc.key} against ${plot.xc.key} for ${plot.points.length} runs`}
              onItemClick={(event) => {
                const run = runs[(event.data as { run?: number } | undefined)?.run ?? -1];
                if (run) router.push(`/p/${props.slug}/runs/${run.runId}`);
              }}
            />
            {plot.points.length < runs.length && (
              <p className="mt-2 text-xs text-stone-500 dark:text-stone-400">
                {runs.length - plot.points.length} of {runs.length} runs lack a numeric value for one of the axes and are not drawn.
              </p>
            )}
          </>
        )}
      </CardBody>
    </Card>
  );
}

/** A param that varies and is numeric, else any param that varies, else the first metric. */
function defaultX(runs: CompareRun[], paramKeys: CompareKey[], metricKeys: CompareKey[]): string {
  const varying = paramKeys.map((k) => ({ kind: "param" as const, key: k.key })).filter((c) => valuesDiffer(columnValues(runs, c) as (string | undefined)[]));
  const numeric = varying.find((c) => columnValues(runs, c).every((v) => v === undefined || asNumber(v) !== null));
  const pick: Column | undefined = numeric ?? varying[0] ?? (metricKeys[0] && { kind: "metric", key: metricKeys[0].key });
  return pick ? columnId(pick) : "";
}

function defaultY(runs: CompareRun[], metricKeys: CompareKey[], primaryKey: string | null | undefined, x: string): string {
  const candidates = defaultChartKeys(metricKeys, runs.length, primaryKey, metricKeys.length).map((key) => columnId({ kind: "metric", key }));
  return candidates.find((c) => c !== x) ?? x;
}

function scatterOption(args: {
  xc: Column;
  yc: Column;
  xs: (string | number | undefined)[];
  ys: (string | number | undefined)[];
  xAxis: Axis;
  yAxis: Axis;
  points: { run: number; x: number | string; y: number | string }[];
  runs: CompareRun[];
  colors: string[];
  dark: boolean;
  logX: boolean;
  logY: boolean;
}): CompareChartOption {
  const theme = chartTheme(args.dark);
  const axis = (spec: Axis, column: Column, log: boolean, horizontal: boolean) => ({
    name: column.key,
    nameLocation: "middle" as const,
    nameGap: horizontal ? 30 : 56,
    nameTextStyle: { color: theme.strong, fontSize: 11, fontFamily: "ui-monospace, monospace" },
    axisLine: { lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    axisLabel: { color: theme.text, fontSize: 10, hideOverlap: true, ...(spec.type === "value" && { formatter: (v: number) => formatNumber(v) }) },
    splitLine: { lineStyle: { color: theme.grid } },
    ...(spec.type === "value"
      ? { type: log ? ("log" as const) : ("value" as const), scale: true }
      : { type: "category" as const, data: spec.categories, boundaryGap: true }),
  });
  return {
    backgroundColor: "transparent",
    textStyle: { fontFamily: theme.font },
    animation: false,
    grid: { left: 72, right: 24, top: 16, bottom: 48 },
    xAxis: axis(args.xAxis, args.xc, args.logX, true),
    yAxis: axis(args.yAxis, args.yc, args.logY, false),
    tooltip: runTooltip({
      runs: args.runs,
      colors: args.colors,
      dark: args.dark,
      rowsOf: (run) => [
        [args.xc.key, args.xs[run]],
        [args.yc.key, args.ys[run]],
      ],
    }),
    series: [
      {
        type: "scatter",
        symbolSize: args.points.length > 50 ? 8 : 12,
        itemStyle: { opacity: 0.9, borderColor: args.dark ? "#1c1917" : "#ffffff", borderWidth: 1 },
        emphasis: { scale: 1.5, itemStyle: { borderColor: theme.strong, borderWidth: 1.5 } },
        data: args.points.map((p) => ({ value: [p.x, p.y], run: p.run, name: args.runs[p.run]!.runName, itemStyle: { color: args.colors[p.run] } })),
      },
    ],
  };
}
