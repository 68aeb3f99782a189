"use client";

import { useEffect, useRef } from "react";
import type { ECElementEvent, ECharts, EChartsCoreOption } from "echarts/core";

// ECharts' ComposeOption cannot type these plots' options (its axis dependencies swallow the
// top-level keys), so they are checked only as ECharts' basic option.
export type CompareChartOption = EChartsCoreOption;

/** Colours of the plots' furniture, matching the uPlot charts of the same page. */
export function chartTheme(dark: boolean) {
  return {
    text: dark ? "#a8a29e" : "#57534e",
    background: dark ? "#1c1917" : "#ffffff",
    strong: dark ? "#e7e5e4" : "#1c1917",
    axis: dark ? "#57534e" : "#d6d3d1",
    grid: dark ? "rgba(255,255,255,0.07)" : "rgba(28,25,23,0.07)",
    tooltip: {
      backgroundColor: dark ? "rgba(28,25,23,0.96)" : "rgba(255,255,255,0.97)",
      borderColor: dark ? "#44403c" : "#e7e5e4",
      textStyle: { color: dark ? "#e7e5e4" : "#1c1917", fontSize: 12 },
    },
    font: "ui-sans-serif, system-ui, sans-serif",
  };
}

/**
 * An ECharts canvas that follows its container's width. ECharts is imported in the effect (it
 * touches the DOM at import) so it never runs during server rendering; a new `option` replaces the
 * drawing (`notMerge`), and the instance is disposed on unmount.
 */
export function EChart(props: { option: CompareChartOption; height: number; label: string; onItemClick?: (event: ECElementEvent) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // ECharts' handlers outlive renders: they read the latest props through this ref.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const target = container.current;
    if (!target) return;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    void import("./echarts").then(({ init }) => {
      if (cancelled) return;
      const instance = init(target, undefined, { renderer: "canvas" });
      instance.setOption(latest.current.option);
      instance.on("click", (event) => latest.current.onItemClick?.(event as ECElementEvent));
      chart.current = instance;
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(target);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  return <div ref={container} role="img" aria-label={props.label} className="w-full" style={{ height: props.height }} />;
}
