"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "../trpc";
import { serverAxisOf, serverRangeOf, toRunTable, type XMode } from "./chart-data";
import type { Zoom } from "./plot-options";

/**
 * The series of one metric for the chart's runs, on the chosen x axis and in the zoomed window
 * (or all of it), as the server buckets them within `maxPoints`; plus each run as a table in
 * x-axis units, how many points the window holds, and `prefetch`, which sends a window's request
 * at once (a zoom asks for its window before the chart redraws, not after React's next render).
 */
export function useMetricSeries(args: { slug: string; runIds: string[]; metricKey: string; xMode: XMode; maxPoints: number; zoom: Zoom | null }) {
  const { slug, runIds, metricKey, xMode, maxPoints, zoom } = args;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const serverAxis = serverAxisOf(xMode);
  const optionsFor = (view: Zoom | null) =>
    trpc.chart.series.queryOptions(
      { projectSlug: slug, runIds, metricKey, xAxis: serverAxis, maxPoints, range: view ? serverRangeOf(xMode, view) : undefined },
      // While a zoomed window loads, keep drawing what we have (same axis only) at the new scale.
      { placeholderData: (previous) => (previous?.xAxis === serverAxis ? previous : undefined) },
    );
  const query = useQuery(optionsFor(zoom));
  const prefetch = (view: Zoom | null) => void queryClient.prefetchQuery(optionsFor(view));
  const reply = query.data;
  const tables = useMemo(() => reply?.runs.map((r) => toRunTable(r, xMode)) ?? [], [reply, xMode]);
  const pointsInView = reply?.runs.reduce((n, r) => n + r.pointsInRange, 0) ?? 0;
  return { query, reply, tables, pointsInView, prefetch };
}
