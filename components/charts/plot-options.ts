import type uPlot from "uplot";
import { DURATION_INCREMENTS, formatDuration, formatTicks, type XMode } from "./chart-data";
import { withAlpha } from "./palette";
import type { Plot } from "./plot-layout";

/** A zoomed x window, in the x mode's units. */
export type Zoom = { min: number; max: number };
/** Where the cursor is: its x value, how far from it a point still counts as under it, and its place in the plot. */
export type Hover = { x: number; tolerance: number; left: number; top: number };
/** What uPlot's callbacks read when they fire: the zoom and the handlers of the latest render. */
export type LatestPlotState = { current: { zoom: Zoom | null; onZoom: (z: Zoom | null) => void; onHover: (h: Hover | null) => void } };

type Furniture = { text: string; grid: string; font: string; background: string };

const furnitureOf = (dark: boolean): Furniture => ({
  text: dark ? "#a8a29e" : "#57534e",
  grid: dark ? "rgba(255,255,255,0.07)" : "rgba(28,25,23,0.07)",
  font: "11px ui-sans-serif, system-ui, sans-serif",
  background: dark ? "#1c1917" : "#ffffff",
});

/**
 * uPlot's options for a plot: its series and bands, axes in the x mode's units, and the cursor
 * wired to zooming and to the tooltip through `latest`.
 */
export function chartOptions(args: {
  plot: Plot;
  xMode: XMode;
  log: boolean;
  dark: boolean;
  height: number;
  width: number;
  latest: LatestPlotState;
}): uPlot.Options {
  const { plot, xMode, log, dark, latest } = args;
  const furniture = furnitureOf(dark);
  return {
    width: Math.max(args.width, 100),
    height: args.height,
    ...seriesAndBands(plot, dark, furniture.background),
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
    axes: [xAxisOf(xMode, furniture), yAxisOf(furniture)],
    cursor: cursorOf(plot, latest),
    hooks: hooksOf(latest),
  };
}

/** Lines of a few points (a single final score, say) get markers: a lone point draws no line at all. */
const MARKERS_BELOW = 30;
function fewPointsInView(u: uPlot, seriesIndex: number, first: number, last: number): boolean {
  const values = u.data[seriesIndex]!;
  let count = 0;
  for (let i = first; i <= last && count < MARKERS_BELOW; i++) if (values[i] != null) count++;
  return count < MARKERS_BELOW;
}

/**
 * Past this many runs the lines are drawn 1 px wide: an overlay of many runs reads better thin, and
 * Chromium strokes 1 px lines far faster than 1.5 px (a 100-run overlay: about 240 against 100 ms a draw).
 */
const THIN_LINES_ABOVE = 10;

/** Band edges faint with the band filled between them, the raw line under smoothing fainter, the line itself in full. */
function seriesAndBands(plot: Plot, dark: boolean, background: string): { series: uPlot.Series[]; bands: uPlot.Band[] } {
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  const lineWidth = plot.series.filter((s) => s.role === "line").length > THIN_LINES_ABOVE ? 1 : 1.5;
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
        width: lineWidth,
        points: { show: fewPointsInView, size: 5, fill: color, stroke: background, width: 1 },
      });
    }
  });
  return { series, bands };
}

function xAxisOf(xMode: XMode, { text, grid, font }: Furniture): uPlot.Axis {
  // Wall time labels take two lines (time, then the date where it changes).
  const axis: uPlot.Axis = {
    stroke: text,
    font,
    size: xMode === "wall" ? 44 : 30,
    gap: 4,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: 4 },
  };
  if (xMode === "step") axis.values = (_u, splits) => formatTicks(splits);
  if (xMode === "relative") {
    axis.incrs = DURATION_INCREMENTS;
    axis.values = (_u, splits) => splits.map(formatDuration);
  }
  return axis;
}

function yAxisOf({ text, grid, font }: Furniture): uPlot.Axis {
  return {
    stroke: text,
    font,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: 4 },
    values: (_u, splits) => formatTicks(splits),
    size: (_u, values) => Math.max(32, ...(values ?? []).map((v) => String(v).length * 6.5 + 14)),
  };
}

function cursorOf(plot: Plot, latest: LatestPlotState): uPlot.Cursor {
  return {
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
  };
}

/** Dragging across the plot zooms to that window; moving the cursor reports where it is, for the tooltip. */
function hooksOf(latest: LatestPlotState): uPlot.Hooks.Arrays {
  return {
    setSelect: [
      (u) => {
        const { left, width } = u.select;
        if (width < 3) return;
        const zoom = { min: u.posToVal(left, "x"), max: u.posToVal(left + width, "x") };
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        latest.current.zoom = zoom;
        // The chart redraws at the new scale once the zoom reaches React (UPlotView resets scales).
        latest.current.onZoom(zoom);
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
  };
}
