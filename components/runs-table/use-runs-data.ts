"use client";

import { keepPreviousData, skipToken, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { PAGE_SIZE, tableQueries, type RunsView } from "@/server/services/tracking/run-view-state";
import type { runGroups, RunsTableRow } from "@/server/services/tracking/runs-table";
import { errorDetails, useTRPC } from "../trpc";
import { HEADER_HEIGHT, ROW_HEIGHT } from "./runs-grid";

export type RowsPage = { total: number; offset: number; rows: RunsTableRow[] };
type Groups = Awaited<ReturnType<typeof runGroups>>;

/** What the page rendered on the server, for the view it parsed: the table starts from it. */
export type RunsTableInitial = {
  view: RunsView;
  /** The default columns of the view, when it names none. */
  defaults: string[] | null;
  rows: RowsPage | null;
  groups: Groups | null;
  /** The filter's syntax error, when the view's filter does not parse. */
  error: string | null;
};

// A client mistake (such as a bad filter) will not go away by asking again.
const retry = (count: number, error: unknown) =>
  count < 2 && !(error instanceof TRPCClientError && ((error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 500) < 500);

/**
 * The data of the runs table for a view: the people who logged its runs, the default columns, and
 * windows of rows fetched for the part of the list that is (nearly) on screen (or the groups, when
 * grouped). The key catalogue is not among them: the column chooser and the group-by picker ask
 * for it.
 * Rows stay on screen, dimmed, while a new sort or filter loads, instead of flashing empty.
 */
export function useRunsData(view: RunsView, scope: { slug: string; experimentId?: string }, initial: RunsTableInitial) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  // The first window and the defaults come from the server render: seed them once.
  useState(() => {
    const seeded = tableQueries(initial.view, scope, initial.defaults ?? undefined);
    if (initial.defaults && seeded.defaults) queryClient.setQueryData(trpc.runsTable.defaultColumns.queryKey(seeded.defaults), { columns: initial.defaults });
    if (initial.rows) queryClient.setQueryData(trpc.runsTable.rows.queryKey(seeded.rows(0)), initial.rows);
    if (initial.groups && seeded.groups) queryClient.setQueryData(trpc.runsTable.groups.queryKey(seeded.groups), initial.groups);
    return true;
  });

  const unresolved = tableQueries(view, scope, undefined);
  const authorsQuery = useQuery({ ...trpc.runsTable.authors.queryOptions(unresolved.authors), placeholderData: keepPreviousData, retry });
  const defaultsQuery = useQuery({
    ...trpc.runsTable.defaultColumns.queryOptions(unresolved.defaults ?? skipToken),
    placeholderData: keepPreviousData,
    retry,
  });
  const queries = tableQueries(view, scope, defaultsQuery.data?.columns);
  // With the default columns, wait for this view's defaults before fetching rows with them.
  const columnsKnown = view.columns !== null || (defaultsQuery.isSuccess && !defaultsQuery.isPlaceholderData);

  const [total, setTotal] = useState(initial.rows?.total ?? 0);
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

  const errors = [pages.find((q) => q.error)?.error, authorsQuery.error, defaultsQuery.error, groupsQuery.error].filter(Boolean).map((e) => errorDetails(e));
  const filterError =
    errors.find((e) => e.fields.filter)?.fields.filter ?? (JSON.stringify(view) === JSON.stringify(initial.view) && !fresh.length ? initial.error : null);
  const loadingFirst = !grouped && total === 0 && !fresh.length && (pages.some((q) => q.isFetching) || !columnsKnown) && !filterError;

  return {
    queries,
    authors: authorsQuery.data,
    grouped,
    groups: groupsQuery,
    total,
    virtualizer,
    scrollRef,
    rowAt,
    /** The rows fetched so far, in order (what "select all" selects). */
    loadedRows: () => [...shown.current.pages.values()].flatMap((p) => p.rows),
    /** Changes when the order of the runs does (a new sort or filter): the list starts at the top again. */
    orderKey,
    stale,
    loadingFirst,
    filterError,
    otherError: errors.find((e) => !e.fields.filter)?.message,
    invalidate: () => queryClient.invalidateQueries({ queryKey: trpc.runsTable.pathKey() }),
  };
}
