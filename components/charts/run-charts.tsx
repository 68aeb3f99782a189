"use client";

import { Search } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { EmptyState } from "../ui/empty-state";
import { Input } from "../ui/input";
import { MetricChart } from "./metric-chart";

const SYSTEM_PREFIX = "system/";
/** Above this many metrics the grid offers a filter box. */
const FILTER_FROM = 7;
const CHART_HEIGHT = 240;

/**
 * A chart for every metric of one run, in a responsive grid: the run's own metrics first, then
 * MLflow's `system/*` metrics (drawn against relative time) under their own heading. Charts fetch
 * their data only once scrolled near the viewport.
 */
export function RunCharts({ slug, runId, metrics }: { slug: string; runId: string; metrics: { key: string; count: number }[] }) {
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => metrics.filter((m) => m.count > 0 && m.key.toLowerCase().includes(needle)), [metrics, needle]);
  const model = shown.filter((m) => !m.key.startsWith(SYSTEM_PREFIX));
  const system = shown.filter((m) => m.key.startsWith(SYSTEM_PREFIX));
  const charted = metrics.filter((m) => m.count > 0).length;

  if (!charted) {
    return (
      <EmptyState
        title="No metrics to chart yet"
        description={
          <>
            Metrics logged with <code className="font-mono text-xs">mlflow.log_metric()</code> appear here as charts, updated when you reload.
          </>
        }
      />
    );
  }

  return (
    <div className="space-y-5">
      {charted >= FILTER_FROM && (
        <div className="flex flex-wrap items-center gap-3">
          <label htmlFor={filterId} className="sr-only">
            Filter metrics
          </label>
          <div className="relative w-full max-w-xs">
            <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
            <Input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter metrics" className="pl-8" />
          </div>
          <p className="text-sm text-stone-500 dark:text-stone-400" aria-live="polite">
            {needle ? `${shown.length} of ${charted} metrics` : `${charted} metrics`}
          </p>
        </div>
      )}
      {!shown.length && <p className="text-sm text-stone-500 dark:text-stone-400">No metric matches “{filter.trim()}”.</p>}
      {model.length > 0 && (
        <ChartGrid>
          {model.map((m) => (
            <LazyChart key={m.key}>
              <MetricChart slug={slug} runIds={[runId]} metricKey={m.key} height={CHART_HEIGHT} />
            </LazyChart>
          ))}
        </ChartGrid>
      )}
      {system.length > 0 && (
        <section aria-labelledby={`${filterId}-system`} className="space-y-3">
          <h3 id={`${filterId}-system`} className="text-sm font-semibold text-stone-700 dark:text-stone-300">
            System metrics
          </h3>
          <ChartGrid>
            {system.map((m) => (
              <LazyChart key={m.key}>
                <MetricChart
                  slug={slug}
                  runIds={[runId]}
                  metricKey={m.key}
                  title={m.key.slice(SYSTEM_PREFIX.length)}
                  defaultXMode="relative"
                  height={CHART_HEIGHT}
                />
              </LazyChart>
            ))}
          </ChartGrid>
        </section>
      )}
    </div>
  );
}

function ChartGrid({ children }: { children: ReactNode }) {
  return <div className="grid gap-4 lg:grid-cols-2">{children}</div>;
}

/**
 * Renders its chart once the slot comes within a screen of the viewport, and keeps it: until then
 * a placeholder of the same size holds the layout, and no data is fetched.
 */
function LazyChart({ children }: { children: ReactNode }) {
  const slot = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = slot.current;
    if (!element || visible) return;
    if (typeof IntersectionObserver === "undefined") return setVisible(true);
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: "400px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);
  return (
    <div ref={slot} className="min-w-0">
      {visible ? children : <div className="rounded-lg border border-stone-200 dark:border-stone-800" style={{ height: CHART_HEIGHT + 139 }} aria-hidden />}
    </div>
  );
}
