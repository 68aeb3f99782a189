"use client";

import { Download, X } from "lucide-react";
import type { ReactNode } from "react";
import { DISPLAYS, isFiltered, RUN_STATUSES, type Display, type RunsView, type TableQueries } from "@/server/services/tracking/run-view-state";
import type { AuthorCount } from "@/server/services/tracking/runs-table";
import { buttonClass } from "../ui/button";
import { SegmentedControl } from "../ui/segmented-control";
import { ColumnChooser } from "./column-chooser";
import { GroupByPicker } from "./group-by-picker";
import { DateFilter, LifecycleToggle, MultiSelectFilter } from "./filters";
import { AggregateToggle } from "./group-table";
import { SearchBox } from "./search-box";
import type { ViewUpdate } from "./use-runs-view";

export type ExperimentOption = { experimentId: string; name: string };

const DISPLAY_LABELS: Record<Display, string> = { table: "Table", charts: "Charts" };

const STATUS_OPTIONS = RUN_STATUSES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }));

/** Empties every filter of the view (not its columns, sort or grouping). */
export const clearedFilters = { query: "", statuses: [], authors: [], startedFrom: null, startedTo: null, experiments: [] } satisfies Partial<RunsView>;

/**
 * The controls above the runs table: the filter text, the columns, grouping and CSV export, then
 * the status, user, date, experiment and lifecycle filters, and how many runs (or groups) match.
 */
export function RunsToolbar(props: {
  view: RunsView;
  setView: (update: ViewUpdate) => void;
  queries: TableQueries;
  /** The people who logged the runs in view, for the people filter. */
  authors: AuthorCount[] | undefined;
  /** The project's experiments, to filter by; undefined in one experiment's table. */
  experiments: ExperimentOption[] | undefined;
  exportHref: string;
  filterError: string | null | undefined;
  busy: boolean;
  grouped: boolean;
  count: ReactNode;
}) {
  const { view, setView, queries, experiments } = props;
  const authors = props.authors ?? [];
  const authorName = (id: string) => authors.find((a) => a.id === id)?.name ?? "someone else";
  const authorOptions = [
    ...authors.map((a) => ({ value: a.id, label: a.name, hint: a.runs })),
    ...view.authors.filter((id) => !authors.some((a) => a.id === id)).map((id) => ({ value: id, label: authorName(id) })),
  ];

  return (
    <>
      <div className="flex flex-wrap items-start gap-2">
        <SearchBox value={view.query} error={props.filterError ?? null} onSubmit={(query) => setView({ query })} busy={props.busy} />
        <div className="flex items-center gap-2">
          <ColumnChooser catalogue={queries.catalogue} columns={queries.columns} onChange={(columns) => setView({ columns })} />
          <GroupByPicker catalogue={queries.catalogue} value={view.groupBy} onChange={(groupBy) => setView({ groupBy })} />
          <a href={props.exportHref} className={buttonClass("secondary")} download title="Download every run of this view, with these columns, as CSV">
            <Download className="size-4" aria-hidden /> Export CSV
          </a>
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <MultiSelectFilter
          label="Status"
          options={STATUS_OPTIONS}
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
        {experiments && (
          <MultiSelectFilter
            label="Experiment"
            options={experiments.map((e) => ({ value: e.experimentId, label: e.name }))}
            selected={view.experiments}
            onChange={(ids) => setView({ experiments: ids })}
            summary={(v) => (v.length === 1 ? (experiments.find((e) => e.experimentId === v[0])?.name ?? v[0]!) : `${v.length} experiments`)}
          />
        )}
        <LifecycleToggle value={view.lifecycle} onChange={(lifecycle) => setView({ lifecycle })} />
        {isFiltered(view) && (
          <button
            type="button"
            onClick={() => setView(clearedFilters)}
            className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-sm text-stone-500 hover:bg-stone-100 hover:text-stone-800 dark:hover:bg-stone-800 dark:hover:text-stone-200"
          >
            <X className="size-3.5" aria-hidden /> Clear filters
          </button>
        )}
        <div className="ml-auto flex items-center gap-2">
          {props.grouped && <AggregateToggle value={view.aggregate} onChange={(aggregate) => setView({ aggregate })} />}
          {!props.grouped && (
            <SegmentedControl
              label="Show runs as"
              options={DISPLAYS}
              labels={DISPLAY_LABELS}
              value={view.display}
              onChange={(display) => setView({ display })}
            />
          )}
          <span className="text-sm text-stone-500 tabular-nums dark:text-stone-400" aria-live="polite">
            {props.count}
          </span>
        </div>
      </div>
    </>
  );
}
