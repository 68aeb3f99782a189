"use client";

import { keepPreviousData, skipToken, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { TRPCClientError } from "@trpc/client";
import { ArchiveRestore, Download, FlaskConical, GitCompareArrows, SearchX, Trash2, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import type { runGroups, RunsTableRow } from "@/server/services/tracking/runs-table";
import { errorDetails, useTRPC } from "../trpc";
import { Button, buttonClass } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { sortsDescendingFirst } from "./cells";
import { ColumnChooser, GroupByPicker, type Catalogue } from "./column-chooser";
import { DateFilter, LifecycleToggle, MultiSelectFilter } from "./filters";
import { formatCount, plural } from "./format";
import { AggregateToggle, GroupTable } from "./group-table";
import { HEADER_HEIGHT, ROW_HEIGHT, RunsGrid } from "./runs-grid";
import { SearchBox } from "./search-box";
import { SkeletonRows } from "./skeleton";
import { useRunsView } from "./use-runs-view";
import {
  effectiveSort,
  filterIdentifier,
  filterLiteral,
  isFiltered,
  PAGE_SIZE,
  refineQuery,
  RUN_STATUSES,
  tableQueries,
  viewHref,
  type RunsView,
  type SortTerm,
} from "./view-state";

type RowsPage = { total: number; offset: number; rows: RunsTableRow[] };
type Groups = Awaited<ReturnType<typeof runGroups>>;
type Picked = { runId: string; runName: string; deleted: boolean };

/** What the page rendered on the server, for the view it parsed: the table starts from it. */
export type RunsTableInitial = {
  view: RunsView;
  catalogue: Catalogue | null;
  rows: RowsPage | null;
  groups: Groups | null;
  /** The filter's syntax error, when the view's filter does not parse. */
  error: string | null;
};

export type ExperimentOption = { experimentId: string; name: string };

const MAX_BULK = 1000;
const MAX_COMPARE = 100;
const GRID_HEIGHT = "max(26rem, calc(100dvh - 20rem))";

// A client mistake (such as a bad filter) will not go away by asking again.
const retry = (count: number, error: unknown) =>
  count < 2 && !(error instanceof TRPCClientError && ((error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 500) < 500);

const metricKeysOf = (catalogue: Catalogue | null | undefined) => catalogue?.metrics.keys.map((k) => k.key) ?? [];

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
}) {
  const { slug, experimentId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [view, setView] = useRunsView();
  const scope = useMemo(() => ({ slug, experimentId }), [slug, experimentId]);

  // The first window and the key catalogue come from the server render: seed them once.
  useState(() => {
    const { initial } = props;
    const seeded = tableQueries(initial.view, scope, metricKeysOf(initial.catalogue));
    if (initial.catalogue) queryClient.setQueryData(trpc.runsTable.columns.queryKey(seeded.catalogue), initial.catalogue);
    if (initial.rows) queryClient.setQueryData(trpc.runsTable.rows.queryKey(seeded.rows(0)), initial.rows);
    if (initial.groups && seeded.groups) queryClient.setQueryData(trpc.runsTable.groups.queryKey(seeded.groups), initial.groups);
    return true;
  });

  const catalogueInput = tableQueries(view, scope, []).catalogue;
  const catalogueQuery = useQuery({ ...trpc.runsTable.columns.queryOptions(catalogueInput), placeholderData: keepPreviousData, retry });
  const catalogue = catalogueQuery.data;
  const queries = tableQueries(view, scope, metricKeysOf(catalogue));
  // With the default columns, wait for this view's metrics before fetching rows with them.
  const columnsKnown = view.columns !== null || !catalogueQuery.isPlaceholderData;

  // Windows of rows, fetched for the part of the list that is (nearly) on screen.
  const [total, setTotal] = useState(props.initial.rows?.total ?? 0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1280, height: 640 },
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor(Math.max(0, (items[0]?.index ?? 0) - 40) / PAGE_SIZE);
  const lastPage = Math.floor(Math.min(Math.max(total - 1, 0), (items.at(-1)?.index ?? 0) + 40) / PAGE_SIZE);
  const pageNumbers = Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage + i);
  const grouped = queries.groups !== null;
  const pages = useQueries({
    queries: pageNumbers.map((page) => ({
      ...trpc.runsTable.rows.queryOptions(queries.rows(page * PAGE_SIZE)),
      enabled: columnsKnown && !grouped,
      retry,
    })),
  });

  // Rows stay on screen (dimmed) while a new sort or filter loads, instead of flashing empty.
  const orderKey = JSON.stringify(queries.rows(0), (k, v) => (k === "columns" ? undefined : v));
  const shown = useRef({ key: orderKey, pages: new Map<number, RowsPage>() });
  const fresh = pages.map((q) => q.data).filter((d): d is RowsPage => Boolean(d));
  if (fresh.length && shown.current.key !== orderKey) shown.current = { key: orderKey, pages: new Map() };
  pageNumbers.forEach((page, i) => {
    const data = pages[i]?.data;
    if (data) shown.current.pages.set(page, data);
  });
  const rowAt = useCallback((index: number) => shown.current.pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE], []);
  const freshTotal = fresh[0]?.total;
  useEffect(() => {
    if (freshTotal !== undefined) setTotal(freshTotal);
  }, [freshTotal]);
  const stale = !grouped && (shown.current.key !== orderKey || pages.some((q) => !q.data && q.isFetching));

  const groupsQuery = useQuery({
    ...trpc.runsTable.groups.queryOptions(grouped && columnsKnown ? queries.groups! : skipToken),
    placeholderData: keepPreviousData,
    retry,
  });

  // Selection: kept across sorts and column changes, cleared when the runs in view change.
  const [selected, setSelected] = useState<Map<string, Picked>>(() => new Map());
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const anchor = useRef<number | null>(null);
  const runsKey = JSON.stringify(queries.catalogue);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) return;
    setSelected(new Map());
    anchor.current = null;
  }, [runsKey]);
  useEffect(() => {
    if (firstRender.current) return;
    setActiveIndex(null);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [orderKey]);
  useEffect(() => {
    firstRender.current = false;
  }, []);

  const toggleRow = useCallback(
    (index: number, row: RunsTableRow, range: boolean) => {
      const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
      const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
      setSelected((current) => {
        const next = new Map(current);
        const select = !current.has(row.runId);
        for (let i = from; i <= to; i++) {
          const r = i === index ? row : rowAt(i);
          if (!r) continue;
          if (select) next.set(r.runId, { runId: r.runId, runName: r.runName, deleted: r.deleted });
          else next.delete(r.runId);
        }
        return next;
      });
      anchor.current = index;
      setActiveIndex(index);
    },
    [rowAt],
  );
  const loadedRows = [...shown.current.pages.values()].flatMap((p) => p.rows).slice(0, MAX_BULK);
  const loadedSelected = loadedRows.filter((r) => selected.has(r.runId)).length;
  const allChecked = loadedRows.length > 0 && loadedSelected === loadedRows.length ? true : loadedSelected > 0 ? "indeterminate" : false;
  const toggleAll = () =>
    setSelected((current) => {
      const next = new Map(current);
      if (allChecked === true) for (const r of loadedRows) next.delete(r.runId);
      else for (const r of loadedRows) next.set(r.runId, { runId: r.runId, runName: r.runName, deleted: r.deleted });
      return next;
    });

  const onSort = (column: string, additive: boolean) => {
    const firstDesc = sortsDescendingFirst(column);
    const current = effectiveSort(view);
    const at = current.findIndex((t) => t.column === column);
    const cycled: SortTerm | null = at < 0 ? { column, desc: firstDesc } : current[at]!.desc === firstDesc ? { column, desc: !firstDesc } : null;
    let sort: SortTerm[];
    if (additive && view.sort.length) {
      sort = at < 0 ? [...view.sort, cycled!] : view.sort.flatMap((t, i) => (i === at ? (cycled ? [cycled] : []) : [t]));
    } else {
      sort = at === 0 && current.length === 1 ? (cycled ? [cycled] : []) : [{ column, desc: firstDesc }];
    }
    setView({ sort });
  };

  // Bulk actions.
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.runsTable.pathKey() });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const restoreMany = useMutation(
    trpc.runsTable.restoreMany.mutationOptions({
      onSuccess: async (result) => {
        toast.success(result.changed ? `Restored ${plural(result.changed, "run")}` : "Nothing to restore");
        setSelected(new Map());
        await invalidate();
      },
      onError: (error) => toast.error(errorDetails(error).message),
    }),
  );
  const deleteMany = useMutation(
    trpc.runsTable.deleteMany.mutationOptions({
      onSuccess: async (result, input) => {
        setConfirmDelete(false);
        setSelected(new Map());
        toast.success(`Deleted ${plural(result.changed, "run")}`, {
          description: "Deleted runs stay restorable for the retention period.",
          action: { label: "Undo", onClick: () => restoreMany.mutate({ projectSlug: slug, runIds: input.runIds }) },
        });
        await invalidate();
      },
      onError: (error) => toast.error(errorDetails(error).message),
    }),
  );
  const picked = [...selected.values()];
  const pickedActive = picked.filter((p) => !p.deleted);
  const pickedDeleted = picked.filter((p) => p.deleted);
  const compareHref = `/p/${slug}/compare?runs=${picked.map((p) => p.runId).join(",")}`;
  const canCompare = picked.length >= 2 && picked.length <= MAX_COMPARE;

  const errors = [pages.find((q) => q.error)?.error, catalogueQuery.error, groupsQuery.error].filter(Boolean).map((e) => errorDetails(e));
  const filterError =
    errors.find((e) => e.fields.filter)?.fields.filter ??
    (JSON.stringify(view) === JSON.stringify(props.initial.view) && !fresh.length ? props.initial.error : null);
  const otherError = errors.find((e) => !e.fields.filter)?.message;
  const loadingFirst = !grouped && total === 0 && !fresh.length && pages.some((q) => q.isFetching) && !filterError;

  const exportHref = viewHref(`/p/${slug}/runs/export`, {
    ...view,
    columns: queries.columns,
    experiments: experimentId !== undefined ? [experimentId] : view.experiments,
  });
  const statusOptions = RUN_STATUSES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }));
  const authors = catalogue?.authors ?? [];
  const authorName = (id: string) => authors.find((a) => a.id === id)?.name ?? "someone else";
  const authorOptions = [
    ...authors.map((a) => ({ value: a.id, label: a.name, hint: a.runs })),
    ...view.authors.filter((id) => !authors.some((a) => a.id === id)).map((id) => ({ value: id, label: authorName(id) })),
  ];
  const clearFilters = () => setView({ query: "", statuses: [], authors: [], startedFrom: null, startedTo: null, experiments: [] });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start gap-2">
        <SearchBox value={view.query} error={filterError} onSubmit={(query) => setView({ query })} busy={stale && !filterError} />
        <div className="flex items-center gap-2">
          <ColumnChooser catalogue={queries.catalogue} columns={queries.columns} onChange={(columns) => setView({ columns })} />
          <GroupByPicker catalogue={queries.catalogue} value={view.groupBy} onChange={(groupBy) => setView({ groupBy })} />
          <a href={exportHref} className={buttonClass("secondary")} download title="Download every run of this view, with these columns, as CSV">
            <Download className="size-4" aria-hidden /> Export CSV
          </a>
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <MultiSelectFilter
          label="Status"
          options={statusOptions}
          selected={view.statuses}
          onChange={(statuses) => setView({ statuses: statuses as RunsView["statuses"] })}
          summary={(v) => (v.length === 1 ? v[0]!.toLowerCase() : `${v.length} statuses`)}
        />
        <MultiSelectFilter
          label="User"
          options={authorOptions}
          selected={view.authors}
          onChange={(ids) => setView({ authors: ids })}
          summary={(ids) => (ids.length === 1 ? authorName(ids[0]!) : `${ids.length} people`)}
        />
        <DateFilter from={view.startedFrom} to={view.startedTo} onChange={(range) => setView(range)} />
        {experimentId === undefined && (
          <MultiSelectFilter
            label="Experiment"
            options={props.experiments.map((e) => ({ value: e.experimentId, label: e.name }))}
            selected={view.experiments}
            onChange={(experiments) => setView({ experiments })}
            summary={(v) => (v.length === 1 ? (props.experiments.find((e) => e.experimentId === v[0])?.name ?? v[0]!) : `${v.length} experiments`)}
          />
        )}
        <LifecycleToggle value={view.lifecycle} onChange={(lifecycle) => setView({ lifecycle })} />
        {isFiltered(view) && (
          <button
            type="button"
            onClick={clearFilters}
            className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-sm text-stone-500 hover:bg-stone-100 hover:text-stone-800 dark:hover:bg-stone-800 dark:hover:text-stone-200"
          >
            <X className="size-3.5" aria-hidden /> Clear filters
          </button>
        )}
        <div className="ml-auto flex items-center gap-2">
          {grouped && <AggregateToggle value={view.aggregate} onChange={(aggregate) => setView({ aggregate })} />}
          <span className="text-sm text-stone-500 tabular-nums dark:text-stone-400" aria-live="polite">
            {grouped ? groupsQuery.data && `${plural(groupsQuery.data.totalGroups, "group")}` : !filterError && !loadingFirst && plural(total, "run")}
          </span>
        </div>
      </div>

      {picked.length > 0 && !grouped && (
        <div
          className="flex flex-wrap items-center gap-2 rounded-lg border border-brand-500/30 bg-brand-50 px-3 py-2 text-sm dark:border-brand-500/30 dark:bg-brand-700/15"
          role="region"
          aria-label="Selected runs"
        >
          <span className="font-medium">{plural(picked.length, "run")} selected</span>
          <span className="mx-1 h-4 w-px bg-brand-500/30" aria-hidden />
          {canCompare ? (
            <Link href={compareHref} prefetch={false} className={buttonClass("primary", "sm")}>
              <GitCompareArrows className="size-4" aria-hidden /> Compare ({picked.length})
            </Link>
          ) : (
            <Button size="sm" disabled title={picked.length < 2 ? "Select at least two runs to compare" : `Compare at most ${MAX_COMPARE} runs`}>
              <GitCompareArrows className="size-4" aria-hidden /> Compare ({picked.length})
            </Button>
          )}
          {props.canDelete && pickedActive.length > 0 && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setConfirmDelete(true)}
              disabled={pickedActive.length > MAX_BULK}
              title={pickedActive.length > MAX_BULK ? `Delete at most ${MAX_BULK} runs at once` : undefined}
            >
              <Trash2 className="size-4 text-red-600" aria-hidden /> Delete ({pickedActive.length})
            </Button>
          )}
          {props.canDelete && pickedDeleted.length > 0 && (
            <Button
              variant="secondary"
              size="sm"
              pending={restoreMany.isPending}
              disabled={pickedDeleted.length > MAX_BULK}
              onClick={() => restoreMany.mutate({ projectSlug: slug, runIds: pickedDeleted.map((p) => p.runId) })}
            >
              <ArchiveRestore className="size-4" aria-hidden /> Restore ({pickedDeleted.length})
            </Button>
          )}
          <button type="button" onClick={() => setSelected(new Map())} className="ml-auto text-sm text-stone-600 hover:underline dark:text-stone-300">
            Clear selection
          </button>
        </div>
      )}

      <div className="overflow-hidden rounded-lg border border-stone-200 bg-white shadow-xs dark:border-stone-800 dark:bg-stone-950">
        <div className={cn("h-0.5", (stale || groupsQuery.isFetching) && !filterError ? "animate-pulse bg-brand-500" : "bg-transparent")} aria-hidden />
        {filterError ? (
          <Placeholder
            icon={<SearchX className="size-7" />}
            title="Fix the filter to see runs"
            description="The filter above could not be read; the message under it says where."
          />
        ) : otherError ? (
          <Placeholder
            icon={<SearchX className="size-7" />}
            title="The runs could not be loaded"
            description={otherError}
            action={
              <Button variant="secondary" onClick={() => invalidate()}>
                Try again
              </Button>
            }
          />
        ) : grouped ? (
          groupsQuery.data ? (
            groupsQuery.data.groups.length ? (
              <div className="overflow-auto" style={{ maxHeight: GRID_HEIGHT }}>
                <GroupTable
                  groupBy={view.groupBy!}
                  groups={groupsQuery.data.groups}
                  totalGroups={groupsQuery.data.totalGroups}
                  metrics={queries.columns.filter((c) => c.startsWith("metrics."))}
                  aggregate={view.aggregate}
                  stale={groupsQuery.isPlaceholderData}
                  onDrill={(value) =>
                    setView((v) => ({ ...v, groupBy: null, query: refineQuery(v.query, `${filterIdentifier(v.groupBy!)} = ${filterLiteral(value)}`) }))
                  }
                />
              </div>
            ) : (
              <NoRuns view={view} onClear={clearFilters} emptyHelp={props.emptyHelp} />
            )
          ) : (
            <Placeholder title="Grouping runs…" />
          )
        ) : loadingFirst ? (
          <SkeletonRows />
        ) : total === 0 && !stale ? (
          <NoRuns view={view} onClear={clearFilters} emptyHelp={props.emptyHelp} />
        ) : (
          <RunsGrid
            slug={slug}
            columns={queries.columns}
            total={total}
            rowAt={rowAt}
            virtualizer={virtualizer}
            scrollRef={scrollRef}
            sort={effectiveSort(view)}
            onSort={onSort}
            isSelected={(runId) => selected.has(runId)}
            onToggleRow={toggleRow}
            allChecked={allChecked}
            onToggleAll={toggleAll}
            activeIndex={activeIndex}
            onActiveIndex={setActiveIndex}
            onOpenRun={(row) => router.push(`/p/${slug}/runs/${row.runId}`)}
            onEscape={() => setSelected(new Map())}
            stale={stale}
            height={GRID_HEIGHT}
          />
        )}
      </div>
      {!grouped && total > 0 && !filterError && !otherError && (
        <p className="text-xs text-stone-500 dark:text-stone-400">
          <kbd className="font-sans">↑</kbd> <kbd className="font-sans">↓</kbd> move · <kbd className="font-sans">Enter</kbd> opens the run ·{" "}
          <kbd className="font-sans">Space</kbd> selects (Shift for a range) · Shift-click a header to sort by several columns
        </p>
      )}

      <Dialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete ${plural(pickedActive.length, "run")}?`}
        description="Deleted runs disappear from the table and from MLflow searches. They can be restored from the Deleted view until the retention period ends; then their data and artifacts are purged."
      >
        <ul className="mb-4 max-h-40 overflow-y-auto rounded border border-stone-200 p-2 text-sm dark:border-stone-800">
          {pickedActive.slice(0, 50).map((p) => (
            <li key={p.runId} className="truncate">
              {p.runName}
            </li>
          ))}
          {pickedActive.length > 50 && <li className="text-stone-500">and {formatCount(pickedActive.length - 50)} more</li>}
        </ul>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            pending={deleteMany.isPending}
            onClick={() => deleteMany.mutate({ projectSlug: slug, runIds: pickedActive.map((p) => p.runId) })}
          >
            Delete {plural(pickedActive.length, "run")}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function Placeholder(props: { icon?: ReactNode; title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="p-6">
      <EmptyState {...props} />
    </div>
  );
}

function NoRuns({ view, onClear, emptyHelp }: { view: RunsView; onClear: () => void; emptyHelp?: ReactNode }) {
  if (isFiltered(view)) {
    return (
      <Placeholder
        icon={<SearchX className="size-7" />}
        title="No runs match"
        description="No run in view passes these filters."
        action={
          <Button variant="secondary" onClick={onClear}>
            Clear filters
          </Button>
        }
      />
    );
  }
  if (view.lifecycle === "deleted")
    return <Placeholder icon={<Trash2 className="size-7" />} title="No deleted runs" description="Runs you delete appear here until they are purged." />;
  return (
    <div className="p-6">
      <EmptyState
        icon={<FlaskConical className="size-7" />}
        title="No runs yet — log one with MLflow"
        description="Runs appear here as soon as a training script logs one."
      />
      {emptyHelp && <div className="mx-auto mt-6 max-w-2xl">{emptyHelp}</div>}
    </div>
  );
}
