"use client";

import { ChevronRight } from "lucide-react";
import { useId, type ReactNode } from "react";
import { cn } from "../ui/cn";
import type { ChartSection as Section } from "./chart-sections";
import { MetricValues } from "./metric-values";

/** One collapsible group of charts: a heading button that says how many it holds, then its values and charts. */
export function ChartSection(props: { section: Section; open: boolean; searching: boolean; onToggle: () => void; children?: ReactNode }) {
  const { section, open } = props;
  const bodyId = useId();
  const shown = section.charts.length + section.values.length;
  return (
    <section aria-label={section.title} className="min-w-0">
      <h3>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={props.onToggle}
          className="flex w-full items-center gap-2 rounded-md py-1 text-left text-sm font-semibold text-stone-800 hover:text-stone-950 focus-visible:ring-2 focus-visible:ring-stone-400 focus-visible:outline-none dark:text-stone-200 dark:hover:text-white"
        >
          <ChevronRight className={cn("size-4 shrink-0 transition-transform", open && "rotate-90")} aria-hidden />
          <span className="truncate font-mono">{section.title}</span>
          <span className="font-normal text-stone-500 tabular-nums dark:text-stone-400">
            {props.searching ? `${shown.toLocaleString()} of ${section.total.toLocaleString()}` : section.total.toLocaleString()}
          </span>
        </button>
      </h3>
      {open && (
        <div id={bodyId} className="mt-3 space-y-4">
          {section.values.length > 0 && <MetricValues values={section.values} />}
          {props.children}
        </div>
      )}
    </section>
  );
}
