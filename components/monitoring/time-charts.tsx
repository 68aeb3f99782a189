"use client";

import { useMemo } from "react";
import { chartTheme, EChart, type CompareChartOption } from "../compare/echart";
import { useDark } from "../ui/use-dark";
import { formatMetric, hourText } from "./format";

type Point = { at: number; records: number; metric: number | null };

function baseOption(dark: boolean, range: { from: number; to: number }) {
  const theme = chartTheme(dark);
  return {
    backgroundColor: "transparent",
    textStyle: { fontFamily: theme.font, color: theme.text },
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: "axis", ...theme.tooltip },
    xAxis: {
      type: "time",
      min: range.from,
      max: range.to,
      axisLine: { lineStyle: { color: theme.axis } },
      axisLabel: { color: theme.text, hideOverlap: true },
      splitLine: { show: false },
    },
    theme,
  };
}

/** Records per hour over the range. */
export function VolumeChart({ points, range }: { points: Point[]; range: { from: number; to: number } }) {
  const dark = useDark();
  const option = useMemo<CompareChartOption>(() => {
    const { theme, ...base } = baseOption(dark, range);
    return {
      ...base,
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: theme.text }, splitLine: { lineStyle: { color: theme.grid } } },
      series: [
        { type: "bar", name: "Records", data: points.map((p) => [p.at, p.records]), itemStyle: { color: dark ? "#a8a29e" : "#57534e" }, barMaxWidth: 12 },
      ],
    };
  }, [dark, points, range]);
  const total = points.reduce((n, p) => n + p.records, 0);
  return (
    <EChart option={option} height={160} label={`Records per hour: ${total.toLocaleString("en")} in the range, over ${points.length} hours with traffic`} />
  );
}

/** The production metric per hour, with the validation value(s) the version's run logged as horizontal lines. */
export function MetricChart(props: {
  metric: string;
  points: Point[];
  range: { from: number; to: number };
  validations: { version: number; key: string | null; value: number | null }[];
}) {
  const dark = useDark();
  const { metric, points, range, validations } = props;
  const option = useMemo<CompareChartOption>(() => {
    const { theme, ...base } = baseOption(dark, range);
    const lines = validations.filter((v) => v.value !== null);
    return {
      ...base,
      tooltip: { ...base.tooltip, valueFormatter: (v: number) => formatMetric(metric, v) },
      yAxis: {
        type: "value",
        scale: true,
        // Accuracy cannot pass 100%: without the cap the axis pads above it.
        max: metric === "accuracy" ? 1 : undefined,
        axisLabel: { color: theme.text, formatter: (v: number) => formatMetric(metric, v) },
        splitLine: { lineStyle: { color: theme.grid } },
      },
      series: [
        {
          type: "line",
          name: metric,
          data: points.filter((p) => p.metric !== null).map((p) => [p.at, p.metric]),
          showSymbol: true,
          symbolSize: 5,
          connectNulls: false,
          lineStyle: { color: dark ? "#60a5fa" : "#2563eb" },
          itemStyle: { color: dark ? "#60a5fa" : "#2563eb" },
          markLine: {
            symbol: "none",
            lineStyle: { type: "dashed", color: theme.strong },
            label: { formatter: (p: { name: string }) => p.name, color: theme.text, position: "insideEndTop" },
            data: lines.map((v) => ({ name: `v${v.version} validation (${v.key}) ${formatMetric(metric, v.value)}`, yAxis: v.value })),
          },
        },
      ],
    };
  }, [dark, metric, points, range, validations]);
  const labelled = points.filter((p) => p.metric !== null);
  const last = labelled.at(-1);
  const summary = last ? `latest ${formatMetric(metric, last.metric)} in the hour of ${hourText(last.at)}` : "no labelled records yet";
  const against = validations
    .filter((v) => v.value !== null)
    .map((v) => `v${v.version} validation ${formatMetric(metric, v.value)}`)
    .join(", ");
  return <EChart option={option} height={180} label={`Production ${metric} per hour: ${summary}${against ? `; ${against}` : ""}`} />;
}
