"use client";

import { SearchX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, type ReactNode } from "react";
import { effectiveSort, filterIdentifier, filterLiteral, refineQuery, viewHref, type RunsView, type SortTerm } from "@/server/services/tracking/run-view-state";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { sortsDescendingFirst } from "./cells";
import { NoRuns, Placeholder } from "./empty-states";
import { plural } from "./format";
import { GroupTable } from "./group-table";
import { RunsChartsPanel } from "./runs-charts-panel";
import { RunsGrid } from "./runs-grid";
import { clearedFilters, RunsToolbar, type ExperimentOption } from "./runs-toolbar";
import { SelectionBar } from "./selection-bar";
import { SkeletonRows } from "./skeleton";
import { useRunSelection } from "./use-run-selection";
import { useRunsData, type RunsTableInitial } from "./use-runs-data";
import { useRunsView } from "./use-runs-view";

const GRID_HEIGHT = "max(26rem, calc(100dvh - 20rem))";

/**
 * The sort after a click on a column header: a new column sorts alone (its natural direction
 * first), a second click flips it, a third drops it; with Shift the column is added to (or cycled
 * within) the current sort terms.
 */
function nextSort(view: RunsView, column: string, additive: boolean): SortTerm[] {
  const firstDesc = sortsDescendingFirst(column);
  const current = effectiveSort(view);
  const at = current.findIndex((t) => t.column === column);
  const cycled: SortTerm | null = at < 0 ? { column, desc: firstDesc } : current[at]!.desc === firstDesc ? { column, desc: !firstDesc } : null;
  if (additive && view.sort.length) return at < 0 ? [...view.sort, cycled!] : view.sort.flatMap((t, i) => (i === at ? (cycled ? [cycled] : []) : [t]));
  return at === 0 && current.length === 1 ? (cycled ? [cycled] : []) : [{ column, desc: firstDesc }];
}

/**
 * The runs table of a project or of one experiment. The whole view lives in the URL; the server
 * renders the first window and the table fetches further windows of 200 runs as they scroll into
 * view, never every run nor any metric history.
 */
export function RunsTable(props: {
  slug: string;
  experimentId?: string;
  experiments: ExperimentOption[];
  canDelete: boolean;
  initial: RunsTableInitial;
  /** Shown when the project (or experiment) has no run at all. */
  emptyHelp?: ReactNode;
  /** For the charts view: the project's primary metric, and whether my chart layout may be saved. */
  primaryKey: string | null;
  canSaveLayout: boolean;
}) {
  const { slug, experimentId } = props;
  const router = useRouter();
  const [view, setView] = useRunsView();
  const scope = useMemo(() => ({ slug, experimentId }), [slug, experimentId]);
  const data = useRunsData(view, scope, props.initial);
  const { queries, grouped, groups, total, filterError, otherError, stale } = data;
  const selection = useRunSelection({
    runsKey: JSON.stringify(queries.catalogue),
    orderKey: data.orderKey,
    rowAt: data.rowAt,
    loadedRows: data.loadedRows,
    scrollToTop: () => data.scrollRef.current?.scrollTo({ top: 0 }),
  });
  const clearFilters = () => setView(clearedFilters);
  const exportHref = viewHref(`/p/${slug}/runs/export`, {
    ...view,
    columns: queries.columns,
    experiments: experimentId !== undefined ? [experimentId] : view.experiments,
  });
  const count = grouped ? groups.data && plural(groups.data.totalGroups, "group") : !filterError && !data.loadingFirst && plural(total, "run");

  let body: ReactNode;
  if (filterError) {
    body = (
      <Placeholder
        icon={<SearchX className="size-7" />}
        title="Fix the filter to see runs"
        description="The filter above could not be read; the message under it says where."
      />
    );
  } else if (otherError) {
    body = (
      <Placeholder
        icon={<SearchX className="size-7" />}
        title="The runs could not be loaded"
        description={otherError}
        action={
          <Button variant="secondary" onClick={() => data.invalidate()}>
            Try again
          </Button>
        }
      />
    );
  } else if (grouped) {
    body = !groups.data ? (
      <Placeholder title="Grouping runs…" />
    ) : groups.data.groups.length ? (
      <div className="overflow-auto" style={{ maxHeight: GRID_HEIGHT }}>
        <GroupTable
          groupBy={view.groupBy!}
          groups={groups.data.groups}
          totalGroups={groups.data.totalGroups}
          metrics={queries.columns.filter((c) => c.startsWith("metrics."))}
          aggregate={view.aggregate}
          stale={groups.isPlaceholderData}
          onDrill={(value) =>
            setView((v) => ({ ...v, groupBy: null, query: refineQuery(v.query, `${filterIdentifier(v.groupBy!)} = ${filterLiteral(value)}`) }))
          }
        />
      </div>
    ) : (
      <NoRuns view={view} onClear={clearFilters} emptyHelp={props.emptyHelp} />
    );
  } else if (data.loadingFirst) {
    body = <SkeletonRows />;
  } else if (total === 0 && !stale) {
    body = <NoRuns view={view} onClear={clearFilters} emptyHelp={props.emptyHelp} />;
  } else if (view.display === "charts") {
    body = <RunsChartsPanel slug={slug} total={total} rowAt={data.rowAt} primaryKey={props.primaryKey} canSaveLayout={props.canSaveLayout} />;
  } else {
    body = (
      <RunsGrid
        slug={slug}
        columns={queries.columns}
        total={total}
        rowAt={data.rowAt}
        virtualizer={data.virtualizer}
        scrollRef={data.scrollRef}
        sort={effectiveSort(view)}
        onSort={(column, additive) => setView({ sort: nextSort(view, column, additive) })}
        isSelected={selection.isSelected}
        onToggleRow={selection.toggleRow}
        allChecked={selection.allChecked}
        onToggleAll={selection.toggleAll}
        activeIndex={selection.activeIndex}
        onActiveIndex={selection.setActiveIndex}
        onOpenRun={(row) => router.push(`/p/${slug}/runs/${row.runId}`)}
        onEscape={selection.clear}
        stale={stale}
        height={GRID_HEIGHT}
      />
    );
  }

  return (
    <div className="space-y-3">
      <RunsToolbar
        view={view}
        setView={setView}
        queries={queries}
        authors={data.authors}
        experiments={experimentId === undefined ? props.experiments : undefined}
        exportHref={exportHref}
        filterError={filterError}
        busy={stale && !filterError}
        grouped={grouped}
        count={count}
      />
      {!grouped && <SelectionBar slug={slug} picked={selection.picked} canDelete={props.canDelete} onClear={selection.clear} onChanged={data.invalidate} />}
      <div className="overflow-hidden rounded-lg border border-stone-200 bg-white shadow-xs dark:border-stone-800 dark:bg-stone-950">
        <div className={cn("h-0.5", (stale || groups.isFetching) && !filterError ? "animate-pulse bg-brand-500" : "bg-transparent")} aria-hidden />
        {body}
      </div>
      {!grouped && view.display === "table" && total > 0 && !filterError && !otherError && (
        <p className="text-xs text-stone-500 dark:text-stone-400">
          <kbd className="font-sans">↑</kbd> <kbd className="font-sans">↓</kbd> move · <kbd className="font-sans">Enter</kbd> opens the run ·{" "}
          <kbd className="font-sans">Space</kbd> selects (Shift for a range) · Shift-click a header to sort by several columns
        </p>
      )}
    </div>
  );
}
