"use client";

import { cn } from "../ui/cn";
import type { XMode } from "./chart-data";

/** The chart's own view settings: the x axis (step, wall time, time since the run started), log scale and smoothing. */
export function ChartControls(props: {
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
