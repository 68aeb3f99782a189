"use client";

import { RotateCcw } from "lucide-react";
import { useTheme } from "next-themes";
import { useId, useMemo, useState, type ReactNode } from "react";
import { errorDetails } from "../trpc";
import { Button } from "../ui/button";
import { describeSeries, X_LABELS, type XMode } from "./chart-data";
import { ChartControls } from "./chart-controls";
import { ChartLegend } from "./chart-legend";
import { ChartMessage } from "./chart-message";
import { ChartTooltip } from "./chart-tooltip";
import { runColor } from "./palette";
import { buildPlot } from "./plot-layout";
import type { Hover, Zoom } from "./plot-options";
import { UPlotView } from "./uplot-view";
import { useMetricSeries } from "./use-metric-series";

// Callers pick run colours here too, so that other views of the same runs match the charts.
export { runColor } from "./palette";

export type MetricChartProps = {
  slug: string;
  /** The runs drawn, in legend (and colour) order. */
  runIds: string[];
  metricKey: string;
  /** Heading shown above the chart; the metric key by default. */
  title?: string;
  defaultXMode?: XMode;
  /** Plot height in CSS pixels. */
  height?: number;
  /** Bucket budget per run and visible range (the server allows up to 5,000). */
  maxPoints?: number;
  /** Buttons for the chart's heading row, e.g. pinning it. */
  actions?: ReactNode;
};

/**
 * A metric of one or more runs, drawn with uPlot. Long series arrive as min/max buckets from the
 * server and are drawn as the line of each bucket's last value inside a translucent min/max band,
 * so spikes stay visible; dragging across the plot zooms in and refetches that window, which comes
 * back exact once it fits the budget; double-click (or "Reset zoom") zooms out.
 */
export function MetricChart({ slug, runIds, metricKey, title, defaultXMode = "step", height = 220, maxPoints = 1000, actions }: MetricChartProps) {
  const id = useId();
  const dark = useTheme().resolvedTheme === "dark";
  const [xMode, setXMode] = useState<XMode>(defaultXMode);
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const [zoom, setZoom] = useState<Zoom | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hover, setHover] = useState<Hover | null>(null);

  const { query, reply, tables, pointsInView, prefetch } = useMetricSeries({ slug, runIds, metricKey, xMode, maxPoints, zoom });
  const colorOf = useMemo(() => new Map(runIds.map((runId, i) => [runId, runColor(i, dark)])), [runIds, dark]);
  const plot = useMemo(() => buildPlot(tables, { hidden, log, smoothing, colorOf }), [tables, hidden, log, smoothing, colorOf]);

  // The window's request goes first: tRPC sends its batch on a zero timeout, and the render a zoom
  // starts (a redraw of every run at the new scale) held it back by 50–80 ms on a 100-run overlay.
  const zoomTo = (view: Zoom | null) => {
    prefetch(view);
    setTimeout(() => setZoom(view));
  };

  const changeXMode = (mode: XMode) => {
    setZoom(null); // the window's units change with the axis
    setXMode(mode);
  };

  const caption = reply ? describeSeries(reply.runs, zoom !== null) : "";
  const titleId = `${id}-title`;
  const captionId = `${id}-caption`;

  return (
    <figure
      aria-labelledby={titleId}
      aria-describedby={captionId}
      className="flex min-w-0 flex-col rounded-lg border border-stone-200 bg-white p-3 dark:border-stone-800 dark:bg-stone-900"
    >
      <div className="mb-2 flex items-start justify-between gap-2">
        <h3 id={titleId} className="min-w-0 truncate font-mono text-sm font-medium text-stone-800 dark:text-stone-100" title={metricKey}>
          {title ?? metricKey}
        </h3>
        <div className="flex shrink-0 items-center gap-2">
          {query.isFetching && !query.isLoading && (
            <span className="text-xs text-stone-500 dark:text-stone-400" role="status">
              {query.isPlaceholderData ? "Refining…" : "Updating…"}
            </span>
          )}
          {zoom && (
            <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setZoom(null)}>
              <RotateCcw className="size-3.5" aria-hidden /> Reset zoom
            </Button>
          )}
          {actions}
        </div>
      </div>

      <ChartControls id={id} xMode={xMode} onXMode={changeXMode} log={log} onLog={setLog} smoothing={smoothing} onSmoothing={setSmoothing} />

      <div className="relative mt-2" style={{ height }}>
        {query.isError ? (
          <ChartMessage tone="error">
            <p>{errorDetails(query.error).message}</p>
            <Button size="sm" variant="secondary" className="mt-2" onClick={() => query.refetch()}>
              Try again
            </Button>
          </ChartMessage>
        ) : query.isLoading ? (
          <div className="h-full animate-pulse rounded-md bg-stone-100 dark:bg-stone-800/60" role="status" aria-label={`Loading ${metricKey}`} />
        ) : !pointsInView ? (
          <ChartMessage>
            <p>{zoom ? "No points in this range." : "No points logged yet."}</p>
            {zoom && (
              <Button size="sm" variant="secondary" className="mt-2" onClick={() => setZoom(null)}>
                Reset zoom
              </Button>
            )}
          </ChartMessage>
        ) : (
          <UPlotView
            plot={plot}
            xMode={xMode}
            log={log}
            dark={dark}
            height={height}
            zoom={zoom}
            onZoom={zoomTo}
            onHover={setHover}
            label={`${title ?? metricKey} by ${X_LABELS[xMode].toLowerCase()}${log ? ", log scale" : ""}: ${caption}`}
          />
        )}
        {hover && plot.visible.length > 0 && pointsInView > 0 && !query.isError && (
          <ChartTooltip hover={hover} tables={plot.visible} colorOf={colorOf} xMode={xMode} smoothing={smoothing} log={log} />
        )}
      </div>

      <figcaption id={captionId} className="mt-2 text-xs text-stone-500 dark:text-stone-400">
        {caption || "\u00a0"}
        {plot.nonFinite && " · NaN and infinite values leave gaps (hover shows them)"}
        {plot.nonPositive && " · values ≤ 0 are not drawn on a log scale"}
      </figcaption>

      {reply && reply.runs.length > 0 && (
        <ChartLegend
          runs={reply}
          colorOf={colorOf}
          hidden={hidden}
          onToggle={(runId) =>
            setHidden((current) => {
              const next = new Set(current);
              if (!next.delete(runId)) next.add(runId);
              return next;
            })
          }
        />
      )}
    </figure>
  );
}
