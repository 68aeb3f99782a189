"use client";

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import type { XMode } from "./chart-data";
import type { Plot } from "./plot-layout";
import { chartOptions, type Hover, type Zoom } from "./plot-options";

/**
 * A uPlot canvas that follows its container's width. The instance is rebuilt only when the plot's
 * structure changes (series, colours, axis, scale, theme, height); new data is fed to it in place.
 */
export function UPlotView(props: {
  plot: Plot;
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
