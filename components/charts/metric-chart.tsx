"use client";

import "uplot/dist/uPlot.min.css";
import { useQuery } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { useTheme } from "next-themes";
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type uPlot from "uplot";
import type { ChartSeriesReply } from "@/server/services/tracking/chart-series";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import {
  alignColumns,
  describeSeries,
  DURATION_INCREMENTS,
  formatDuration,
  formatExact,
  formatTicks,
  nearestIndex,
  plotColumns,
  serverAxisOf,
  serverRangeOf,
  smallestPositive,
  toRunTable,
  X_LABELS,
  type RunTable,
  type XMode,
} from "./chart-data";

// Ten distinguishable hues, a shade for each theme; the first is close to the brand teal.
const PALETTE = {
  light: ["#0d9488", "#2563eb", "#e11d48", "#d97706", "#7c3aed", "#16a34a", "#db2777", "#0891b2", "#ea580c", "#4f46e5"],
  dark: ["#2dd4bf", "#60a5fa", "#fb7185", "#fbbf24", "#a78bfa", "#4ade80", "#f472b6", "#22d3ee", "#fb923c", "#818cf8"],
};

/** The colour of the i-th run of a chart (the same order as `runIds`). */
export const runColor = (index: number, dark: boolean) => (dark ? PALETTE.dark : PALETTE.light)[index % PALETTE.light.length]!;

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const dateTime = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};
const integer = new Intl.NumberFormat("en");

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
};

type Zoom = { min: number; max: number };
type Hover = { x: number; tolerance: number; left: number; top: number };

/**
 * A metric of one or more runs, drawn with uPlot. Long series arrive as min/max buckets from the
 * server and are drawn as the line of each bucket's last value inside a translucent min/max band,
 * so spikes stay visible; dragging across the plot zooms in and refetches that window, which comes
 * back exact once it fits the budget; double-click (or "Reset zoom") zooms out.
 */
export function MetricChart({ slug, runIds, metricKey, title, defaultXMode = "step", height = 220, maxPoints = 1000 }: MetricChartProps) {
  const trpc = useTRPC();
  const id = useId();
  const dark = useTheme().resolvedTheme === "dark";
  const [xMode, setXMode] = useState<XMode>(defaultXMode);
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const [zoom, setZoom] = useState<Zoom | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hover, setHover] = useState<Hover | null>(null);

  const serverAxis = serverAxisOf(xMode);
  const query = useQuery(
    trpc.chart.series.queryOptions(
      { projectSlug: slug, runIds, metricKey, xAxis: serverAxis, maxPoints, range: zoom ? serverRangeOf(xMode, zoom) : undefined },
      // While a zoomed window loads, keep drawing what we have (same axis only) at the new scale.
      { placeholderData: (previous) => (previous?.xAxis === serverAxis ? previous : undefined) },
    ),
  );
  const reply = query.data;

  const tables = useMemo(() => reply?.runs.map((r) => toRunTable(r, xMode)) ?? [], [reply, xMode]);
  const colorOf = useMemo(() => new Map(runIds.map((runId, i) => [runId, runColor(i, dark)])), [runIds, dark]);
  const plot = useMemo(() => buildPlot(tables, { hidden, log, smoothing, colorOf }), [tables, hidden, log, smoothing, colorOf]);
  const pointsInView = reply?.runs.reduce((n, r) => n + r.pointsInRange, 0) ?? 0;

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
          <UPlotCanvas
            plot={plot}
            xMode={xMode}
            log={log}
            dark={dark}
            height={height}
            zoom={zoom}
            onZoom={setZoom}
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

type Plot = {
  data: uPlot.AlignedData;
  series: { runId: string; role: "hi" | "lo" | "raw" | "line" }[];
  visible: RunTable[];
  /** Changes whenever the series layout changes (then the uPlot instance is rebuilt, not just fed data). */
  layout: string;
  /** Whether some value cannot be drawn: NaN or ±Infinity; ≤ 0 on a log scale. */
  nonFinite: boolean;
  nonPositive: boolean;
};

function buildPlot(
  tables: RunTable[],
  options: { hidden: ReadonlySet<string>; log: boolean; smoothing: number; colorOf: Map<string, string> },
): Plot & { colors: string[] } {
  const visible = tables.filter((t) => !options.hidden.has(t.runId) && t.x.length > 0);
  const logFloor = options.log ? smallestPositive(visible) : undefined;
  const series: Plot["series"] = [];
  const columns = visible.map((table) => {
    const cols = plotColumns(table, { log: options.log, smoothing: options.smoothing, logFloor });
    const out: (number | null)[][] = [];
    if (cols.hi && cols.lo) {
      out.push(cols.hi, cols.lo);
      series.push({ runId: table.runId, role: "hi" }, { runId: table.runId, role: "lo" });
    }
    if (options.smoothing > 0) {
      out.push(cols.raw);
      series.push({ runId: table.runId, role: "raw" });
    }
    out.push(cols.line);
    series.push({ runId: table.runId, role: "line" });
    return out;
  });
  const aligned = alignColumns(
    visible.map((t) => t.x),
    columns,
  );
  let nonFinite = false;
  let nonPositive = false;
  for (const t of visible) {
    for (const column of [t.value, t.min, t.max]) {
      for (const v of column) {
        if (v === null) continue;
        if (!Number.isFinite(v)) nonFinite = true;
        else if (options.log && v <= 0) nonPositive = true;
      }
    }
  }
  return {
    data: [aligned.x, ...aligned.columns.flat()] as uPlot.AlignedData,
    series,
    visible,
    layout: series.map((s) => `${s.runId}:${s.role}`).join(","),
    colors: series.map((s) => options.colorOf.get(s.runId) ?? PALETTE.light[0]!),
    nonFinite,
    nonPositive,
  };
}

function UPlotCanvas(props: {
  plot: Plot & { colors: string[] };
  xMode: XMode;
  log: boolean;
  dark: boolean;
  height: number;
  zoom: Zoom | null;
  onZoom: (zoom: Zoom | null) => void;
  onHover: (hover: Hover | null) => void;
  label: string;
}) {
  const { plot, xMode, log, dark, height, zoom } = props;
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // uPlot's callbacks outlive renders: they read the latest values through this ref.
  const latest = useRef({ plot, zoom, onZoom: props.onZoom, onHover: props.onHover });
  latest.current = { plot, zoom, onZoom: props.onZoom, onHover: props.onHover };

  // The instance is rebuilt only when the layout changes; new data goes through setData below.
  const structure = `${plot.layout}|${plot.colors.join(",")}|${xMode}|${log}|${dark}|${height}`;

  useEffect(() => {
    const target = container.current;
    if (!target) return;
    let cancelled = false;
    let instance: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    // uPlot touches `window` at import: load it only in the browser, after mount.
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const options = chartOptions({ plot: latest.current.plot, xMode, log, dark, height, width: target.clientWidth, latest });
      instance = new UPlot(options, latest.current.plot.data, target);
      chart.current = instance;
      observer = new ResizeObserver(() => {
        if (instance && target.clientWidth > 0 && target.clientWidth !== instance.width) instance.setSize({ width: target.clientWidth, height });
      });
      observer.observe(target);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      instance?.destroy();
      chart.current = null;
      latest.current.onHover(null);
    };
  }, [structure, xMode, log, dark, height]);

  useEffect(() => {
    // Resetting scales re-runs the x range function, which applies the current zoom (or none).
    chart.current?.setData(plot.data, true);
  }, [plot.data, zoom]);

  return <div ref={container} role="img" aria-label={props.label} className="h-full w-full" />;
}

/** Lines of a few points (a single final score, say) get markers: a lone point draws no line at all. */
const MARKERS_BELOW = 30;
function fewPointsInView(u: uPlot, seriesIndex: number, first: number, last: number): boolean {
  const values = u.data[seriesIndex]!;
  let count = 0;
  for (let i = first; i <= last && count < MARKERS_BELOW; i++) if (values[i] != null) count++;
  return count < MARKERS_BELOW;
}

function chartOptions(args: {
  plot: Plot & { colors: string[] };
  xMode: XMode;
  log: boolean;
  dark: boolean;
  height: number;
  width: number;
  latest: { current: { zoom: Zoom | null; onZoom: (z: Zoom | null) => void; onHover: (h: Hover | null) => void } };
}): uPlot.Options {
  const { plot, xMode, log, dark, latest } = args;
  const text = dark ? "#a8a29e" : "#57534e";
  const grid = dark ? "rgba(255,255,255,0.07)" : "rgba(28,25,23,0.07)";
  const font = "11px ui-sans-serif, system-ui, sans-serif";
  const background = dark ? "#1c1917" : "#ffffff";

  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  plot.series.forEach((s, i) => {
    const color = plot.colors[i]!;
    const index = i + 1;
    if (s.role === "hi" || s.role === "lo") {
      series.push({ label: `${s.runId} ${s.role}`, stroke: withAlpha(color, 0.35), width: 0.5, points: { show: false } });
      if (s.role === "hi") bands.push({ series: [index, index + 1], fill: withAlpha(color, dark ? 0.22 : 0.16) });
    } else if (s.role === "raw") {
      series.push({ label: `${s.runId} raw`, stroke: withAlpha(color, 0.3), width: 1, points: { show: false } });
    } else {
      series.push({
        label: s.runId,
        stroke: color,
        width: 1.5,
        points: { show: fewPointsInView, size: 5, fill: color, stroke: background, width: 1 },
      });
    }
  });

  // Wall time labels take two lines (time, then the date where it changes).
  const xAxis: uPlot.Axis = {
    stroke: text,
    font,
    size: xMode === "wall" ? 44 : 30,
    gap: 4,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: 4 },
  };
  if (xMode === "step") xAxis.values = (_u, splits) => formatTicks(splits);
  if (xMode === "relative") {
    xAxis.incrs = DURATION_INCREMENTS;
    xAxis.values = (_u, splits) => splits.map(formatDuration);
  }

  return {
    width: Math.max(args.width, 100),
    height: args.height,
    series,
    bands,
    legend: { show: false },
    padding: [8, 8, 0, 0],
    scales: {
      x: {
        time: xMode === "wall",
        range: (_u, min, max) => {
          const zoom = latest.current.zoom;
          if (zoom) return [zoom.min, zoom.max];
          if (min === max) return [min - 1, max + 1];
          return [min, max];
        },
      },
      y: log ? { distr: 3, log: 10 } : {},
    },
    axes: [
      xAxis,
      {
        stroke: text,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1, size: 4 },
        values: (_u, splits) => formatTicks(splits),
        size: (_u, values) => Math.max(32, ...(values ?? []).map((v) => String(v).length * 6.5 + 14)),
      },
    ],
    cursor: {
      y: false,
      drag: { x: true, y: false, setScale: false },
      // Hover dots on the lines only, not on band edges or the faint raw line.
      points: {
        show: (_u, index) => {
          if (plot.series[index - 1]?.role !== "line") return undefined as unknown as HTMLElement;
          const dot = document.createElement("div");
          Object.assign(dot.style, { width: "8px", height: "8px", marginLeft: "-4px", marginTop: "-4px" });
          return dot;
        },
        width: 2,
      },
      bind: {
        // Double-click zooms out: drop the zoom first so uPlot's own reset spans all the data.
        dblclick: (_u, _target, handler) => (e) => {
          latest.current.zoom = null;
          latest.current.onZoom(null);
          return handler(e);
        },
      },
    },
    hooks: {
      setSelect: [
        (u) => {
          const { left, width } = u.select;
          if (width < 3) return;
          const zoom = { min: u.posToVal(left, "x"), max: u.posToVal(left + width, "x") };
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          latest.current.zoom = zoom;
          latest.current.onZoom(zoom);
          u.setScale("x", zoom);
        },
      ],
      setCursor: [
        (u) => {
          const { left, top } = u.cursor;
          if (left == null || top == null || left < 0) return latest.current.onHover(null);
          const x = u.posToVal(left, "x");
          latest.current.onHover({ x, tolerance: Math.abs(u.posToVal(left + 12, "x") - x), left: left + u.over.offsetLeft, top: top + u.over.offsetTop });
        },
      ],
    },
  };
}

function ChartControls(props: {
  id: string;
  xMode: XMode;
  onXMode: (mode: XMode) => void;
  log: boolean;
  onLog: (log: boolean) => void;
  smoothing: number;
  onSmoothing: (value: number) => void;
}) {
  const smoothingId = `${props.id}-smoothing`;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-stone-600 dark:text-stone-400">
      <fieldset className="flex items-center">
        <legend className="sr-only">X axis</legend>
        <div className="inline-flex rounded-md border border-stone-200 p-0.5 dark:border-stone-700">
          {(["step", "wall", "relative"] as const).map((mode) => (
            <label
              key={mode}
              className={cn(
                "cursor-pointer rounded px-2 py-0.5 select-none has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500",
                props.xMode === mode
                  ? "bg-stone-100 font-medium text-stone-900 dark:bg-stone-800 dark:text-stone-100"
                  : "hover:text-stone-900 dark:hover:text-stone-100",
              )}
            >
              <input type="radio" name={`${props.id}-x`} value={mode} checked={props.xMode === mode} onChange={() => props.onXMode(mode)} className="sr-only" />
              {mode === "step" ? "Step" : mode === "wall" ? "Time" : "Relative"}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="inline-flex cursor-pointer items-center gap-1.5 select-none">
        <input
          type="checkbox"
          checked={props.log}
          onChange={(e) => props.onLog(e.target.checked)}
          className="size-3.5 rounded border-stone-300 accent-brand-600 dark:border-stone-600"
        />
        Log scale
      </label>
      <div className="inline-flex items-center gap-1.5">
        <label htmlFor={smoothingId}>Smoothing</label>
        <input
          id={smoothingId}
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={props.smoothing}
          onChange={(e) => props.onSmoothing(Number(e.target.value))}
          className="h-1 w-20 accent-brand-600"
          aria-valuetext={props.smoothing ? `${props.smoothing.toFixed(2)} (exponential moving average)` : "off"}
        />
        <output htmlFor={smoothingId} className="w-7 tabular-nums">
          {props.smoothing ? props.smoothing.toFixed(2) : "off"}
        </output>
      </div>
    </div>
  );
}

function ChartMessage({ children, tone }: { children: ReactNode; tone?: "error" }) {
  return (
    <div
      role={tone === "error" ? "alert" : undefined}
      className={cn(
        "flex h-full flex-col items-center justify-center rounded-md border border-dashed px-4 text-center text-sm",
        tone === "error"
          ? "border-red-200 text-red-700 dark:border-red-900 dark:text-red-300"
          : "border-stone-200 text-stone-500 dark:border-stone-700 dark:text-stone-400",
      )}
    >
      {children}
    </div>
  );
}

function ChartTooltip(props: { hover: Hover; tables: RunTable[]; colorOf: Map<string, string>; xMode: XMode; smoothing: number; log: boolean }) {
  const { hover, tables, xMode } = props;
  const rows = tables
    .map((table) => {
      const i = nearestIndex(table.x, hover.x);
      const x = table.x[i]!;
      const near = Math.abs(x - hover.x) <= hover.tolerance || (hover.x >= table.firstX[0]! && hover.x <= table.lastX.at(-1)!);
      return near && i >= 0 ? { table, i } : null;
    })
    .filter((r) => r !== null);
  if (!rows.length) return null;
  const smoothed =
    props.smoothing > 0 ? new Map(rows.map(({ table, i }) => [table.runId, plotColumns(table, { log: props.log, smoothing: props.smoothing }).line[i]])) : null;
  const place = hover.left > 220 ? { right: `calc(100% - ${hover.left - 12}px)` } : { left: hover.left + 12 };
  const xText = (table: RunTable, i: number) => {
    const count = table.count[i]!;
    if (count > 1) {
      const [a, b] = [table.firstX[i]!, table.lastX[i]!];
      const span =
        xMode === "step"
          ? `steps ${integer.format(a)}–${integer.format(b)}`
          : xMode === "wall"
            ? `${dateTime(a * 1000)} – ${dateTime(b * 1000).slice(11)}`
            : `${formatDuration(a)} – ${formatDuration(b)}`;
      return `${span} · ${integer.format(count)} points`;
    }
    const time = xMode === "relative" ? `+${formatDuration(table.x[i]!)}` : dateTime(table.timestamp[i]!);
    return `step ${integer.format(table.step[i]!)} · ${time}`;
  };
  return (
    <div
      aria-hidden
      className="pointer-events-none absolute z-10 max-w-xs min-w-48 rounded-md border border-stone-200 bg-white/95 px-2.5 py-2 text-xs shadow-lg backdrop-blur-sm dark:border-stone-700 dark:bg-stone-900/95"
      style={{ top: Math.max(0, hover.top - 16), ...place }}
    >
      {rows.map(({ table, i }) => (
        <div key={table.runId} className="not-first:mt-1.5">
          <div className="flex items-center gap-1.5">
            <span className="size-2 shrink-0 rounded-full" style={{ background: props.colorOf.get(table.runId) }} />
            {tables.length > 1 && <span className="min-w-0 truncate text-stone-600 dark:text-stone-300">{table.runName}</span>}
            <span className="ml-auto font-mono font-medium text-stone-900 tabular-nums dark:text-stone-100">
              {table.count[i]! > 1 && <span className="mr-1 font-sans font-normal text-stone-500 dark:text-stone-400">last</span>}
              {formatExact(table.value[i]!)}
            </span>
          </div>
          <div className="mt-0.5 text-[11px] text-stone-500 dark:text-stone-400">{xText(table, i)}</div>
          {(table.count[i]! > 1 || (smoothed && smoothed.get(table.runId) != null)) && (
            <dl className="mt-0.5 grid grid-cols-[auto_1fr] gap-x-2 text-[11px] text-stone-500 dark:text-stone-400">
              {table.count[i]! > 1 && (
                <>
                  <dt>max</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(table.max[i]!)}</dd>
                  <dt>min</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(table.min[i]!)}</dd>
                </>
              )}
              {smoothed && smoothed.get(table.runId) != null && (
                <>
                  <dt>smoothed</dt>
                  <dd className="text-right font-mono text-stone-700 dark:text-stone-300">{formatExact(smoothed.get(table.runId)!)}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      ))}
    </div>
  );
}

function ChartLegend(props: { runs: ChartSeriesReply; colorOf: Map<string, string>; hidden: ReadonlySet<string>; onToggle: (runId: string) => void }) {
  const several = props.runs.runs.length > 1;
  return (
    <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label="Runs">
      {props.runs.runs.map((run) => {
        const off = props.hidden.has(run.runId);
        const swatch = <span className="h-0.5 w-3 shrink-0 rounded" style={{ background: props.colorOf.get(run.runId) }} aria-hidden />;
        return (
          <li key={run.runId} className="min-w-0">
            {several ? (
              <button
                type="button"
                aria-pressed={!off}
                onClick={() => props.onToggle(run.runId)}
                className={cn("inline-flex max-w-full items-center gap-1.5 rounded px-1 hover:bg-stone-100 dark:hover:bg-stone-800", off && "opacity-40")}
                title={off ? "Show this run" : "Hide this run"}
              >
                {swatch}
                <span className="truncate">{run.runName}</span>
              </button>
            ) : (
              <span className="inline-flex max-w-full items-center gap-1.5 text-stone-600 dark:text-stone-300">
                {swatch}
                <span className="truncate">{run.runName}</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
