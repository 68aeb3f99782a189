"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { ChartBoard } from "./chart-board";

/**
 * The charts of the runs in view (the table's first rows, in its order), one curve per run, in the
 * same sections, search and pins as a run's page.
 */
export function RunsCharts({ slug, runIds, primaryKey, canSaveLayout }: { slug: string; runIds: string[]; primaryKey: string | null; canSaveLayout: boolean }) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.chart.keys.queryOptions({ projectSlug: slug, runIds }, { enabled: runIds.length > 0, placeholderData: keepPreviousData }));
  // Across runs a key logged once per run still compares runs, so every key is drawn as a chart.
  const metrics = useMemo(() => keys.data?.map((k) => ({ key: k.key, count: Math.max(2, k.pointCount), latest: null })) ?? [], [keys.data]);

  if (!runIds.length) return <EmptyState title="No runs in view" description="Change the filter to chart the runs it finds." />;
  if (keys.isLoading) return <div className="h-64 animate-pulse rounded-lg bg-stone-100 dark:bg-stone-800/60" role="status" aria-label="Loading charts" />;
  return (
    <ChartBoard
      slug={slug}
      runIds={runIds}
      metrics={metrics}
      primaryKey={primaryKey}
      canSaveLayout={canSaveLayout}
      empty={<EmptyState title="No metrics in these runs" description="The runs in view have logged no metrics yet." />}
    />
  );
}
