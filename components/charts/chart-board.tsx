"use client";

import { Pin, PinOff } from "lucide-react";
import { useDeferredValue, useMemo, useState, type ReactNode } from "react";
import { Button } from "../ui/button";
import { SearchField } from "../ui/search-field";
import {
  buildSections,
  chartTitle,
  isSectionOpen,
  PINNED_SECTION,
  togglePin,
  type ChartLayout,
  type ChartSection as Section,
  type MetricEntry,
} from "./chart-sections";
import { ChartSection } from "./chart-section";
import { MetricChart } from "./metric-chart";
import { useChartLayout } from "./use-chart-layout";
import { VirtualChartGrid } from "./virtual-chart-grid";

const CHART_HEIGHT = 240;
/** The chart card's height around its plot: title, controls, legend. */
const CARD_CHROME = 139;
/** From this many metrics on, the charts get a search box. */
const SEARCH_FROM = 7;

type Props = {
  slug: string;
  /** The runs every chart draws, in legend order. */
  runIds: string[];
  metrics: MetricEntry[];
  primaryKey: string | null;
  /** My layout as the page loaded it; fetched here when absent. */
  initialLayout?: ChartLayout;
  canSaveLayout: boolean;
  /** What to show when there is nothing to chart. */
  empty: ReactNode;
};

/**
 * Charts of one or more runs, grouped into collapsible sections by key prefix (system metrics last,
 * pinned charts first), with a search that narrows every section at once. Only the charts near the
 * viewport are mounted and fetch data, so a run with 10,000 keys opens as fast as one with ten.
 */
export function ChartBoard({ slug, runIds, metrics, primaryKey, initialLayout, canSaveLayout, empty }: Props) {
  const [search, setSearch] = useState("");
  const needle = useDeferredValue(search);
  const { layout, update } = useChartLayout(slug, initialLayout, canSaveLayout);
  const sections = useMemo(() => buildSections(metrics, { pinned: layout.pinned, needle }), [metrics, layout.pinned, needle]);
  const chartCount = useMemo(() => metrics.filter((m) => m.count > 1).length, [metrics]);
  const logged = useMemo(() => metrics.filter((m) => m.count > 0).length, [metrics]);
  const searching = needle.trim() !== "";
  const pinned = new Set(layout.pinned);

  if (!logged) return empty;

  const context = { layout, sections, chartCount, primaryKey, searching };
  const setOpen = (ids: string[], open: boolean) => update({ ...layout, sections: { ...layout.sections, ...Object.fromEntries(ids.map((id) => [id, open])) } });
  const allIds = sections.map((s) => s.id);
  const matched = sections.reduce((n, s) => n + (s.id === PINNED_SECTION ? 0 : s.charts.length + s.values.length), 0);

  return (
    <div className="space-y-4" role="region" aria-label="Charts">
      {logged >= SEARCH_FROM && (
        <div className="flex flex-wrap items-center gap-3">
          <SearchField label="Search metrics" value={search} onChange={setSearch} placeholder="Search metrics" />
          <p className="text-sm text-stone-500 dark:text-stone-400" aria-live="polite">
            {searching
              ? `${matched.toLocaleString()} of ${logged.toLocaleString()} metrics`
              : `${logged.toLocaleString()} metrics in ${sectionCount(sections)} sections`}
          </p>
          {!searching && sections.length > 1 && (
            <div className="ml-auto flex gap-1">
              {([true, false] as const).map((open) => (
                <Button key={String(open)} size="sm" variant="ghost" onClick={() => setOpen(allIds, open)}>
                  {open ? "Open all" : "Close all"}
                </Button>
              ))}
            </div>
          )}
        </div>
      )}
      {searching && !matched && <p className="text-sm text-stone-500 dark:text-stone-400">No metric matches “{needle.trim()}”.</p>}
      {closedRuns(sections.map((section) => ({ section, open: isSectionOpen(section, context) }))).map((block) =>
        block.open ? (
          <ChartSection key={block.section.id} section={block.section} open searching={searching} onToggle={() => setOpen([block.section.id], false)}>
            {block.section.charts.length > 0 && (
              <VirtualChartGrid
                items={block.section.charts}
                rowHeight={CHART_HEIGHT + CARD_CHROME}
                render={(m) => (
                  <MetricChart
                    key={m.key}
                    slug={slug}
                    runIds={runIds}
                    metricKey={m.key}
                    title={chartTitle(m.key)}
                    defaultXMode={m.key.startsWith("system/") ? "relative" : "step"}
                    height={CHART_HEIGHT}
                    actions={<PinButton pinned={pinned.has(m.key)} metricKey={m.key} onToggle={() => update(togglePin(layout, m.key))} />}
                  />
                )}
              />
            )}
          </ChartSection>
        ) : (
          // Closed sections side by side: a run with a hundred of them stays a screen tall.
          <div key={block.sections[0]!.id} className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
            {block.sections.map((section) => (
              <ChartSection key={section.id} section={section} open={false} searching={searching} onToggle={() => setOpen([section.id], true)} />
            ))}
          </div>
        ),
      )}
    </div>
  );
}

type Block = { open: true; section: Section } | { open: false; sections: Section[] };

/** Open sections one by one, and each run of consecutive closed ones as a block. */
function closedRuns(items: { section: Section; open: boolean }[]): Block[] {
  const blocks: Block[] = [];
  for (const { section, open } of items) {
    const last = blocks.at(-1);
    if (open) blocks.push({ open: true, section });
    else if (last && !last.open) last.sections.push(section);
    else blocks.push({ open: false, sections: [section] });
  }
  return blocks;
}

const sectionCount = (sections: { id: string }[]) => sections.filter((s) => s.id !== PINNED_SECTION).length.toLocaleString();

function PinButton({ pinned, metricKey, onToggle }: { pinned: boolean; metricKey: string; onToggle: () => void }) {
  const Icon = pinned ? PinOff : Pin;
  return (
    <button
      type="button"
      onClick={onToggle}
      aria-pressed={pinned}
      aria-label={pinned ? `Unpin ${metricKey}` : `Pin ${metricKey}`}
      title={pinned ? "Unpin from the top" : "Pin to the top of every run's charts"}
      className="rounded-md p-1 text-stone-400 hover:bg-stone-100 hover:text-stone-700 focus-visible:ring-2 focus-visible:ring-stone-400 focus-visible:outline-none dark:hover:bg-stone-800 dark:hover:text-stone-200"
    >
      <Icon className="size-4" aria-hidden />
    </button>
  );
}
