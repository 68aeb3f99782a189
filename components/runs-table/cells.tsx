import { ListLink } from "../ui/list-link";
import type { ReactNode } from "react";
import type { RunsTableRow } from "@/server/services/tracking/runs-table";
import { RunAuthorName } from "../tracking/run-author";
import { formatDuration, RunStatus } from "../tracking/run-status";
import { Time } from "../ui/time";
import { exactMetric, formatMetric } from "./format";
import { parseColumnId } from "@/server/services/tracking/run-columns";

/** Initial width of a column, in pixels (people may drag it wider). */
export function columnWidth(id: string): number {
  const column = parseColumnId(id);
  if (!column) return 140;
  switch (column.kind) {
    case "metrics":
      return 108;
    case "params":
      return 124;
    case "tags":
      return 140;
    case "attributes":
      return { status: 100, start_time: 128, end_time: 128, duration: 104, user_id: 116, experiment_id: 156, run_id: 100, run_name: 232 }[column.key] ?? 120;
  }
}

/** Numbers read best right-aligned. */
export const alignsRight = (id: string) => id.startsWith("metrics.");

/** Metrics and durations sort largest first on the first click; text sorts A to Z. */
export const sortsDescendingFirst = (id: string) =>
  id.startsWith("metrics.") || ["attributes.start_time", "attributes.end_time", "attributes.duration"].includes(id);

const muted = <span className="text-stone-300 dark:text-stone-600">—</span>;

/** The content of one cell; `slug` builds the links. */
export function renderCell(row: RunsTableRow, id: string, slug: string): ReactNode {
  const column = parseColumnId(id);
  if (!column) return null;
  if (column.kind !== "attributes") {
    const value = row.values[id];
    if (value === undefined) return muted;
    if (typeof value === "number") {
      return (
        <span className="tabular-nums" title={exactMetric(value)}>
          {formatMetric(value)}
        </span>
      );
    }
    return (
      <span className="truncate font-mono text-xs" title={value}>
        {value === "" ? <span className="text-stone-400 italic">(empty)</span> : value}
      </span>
    );
  }
  switch (column.key) {
    case "run_name":
      return (
        <span className="flex min-w-0 items-center gap-2">
          <ListLink
            href={`/p/${slug}/runs/${row.runId}`}
            tabIndex={-1}
            className="truncate font-medium text-stone-900 hover:text-brand-700 hover:underline dark:text-stone-100 dark:hover:text-brand-100"
            title={row.runName}
          >
            {row.runName}
          </ListLink>
          {row.deleted && (
            <span className="shrink-0 rounded bg-red-50 px-1.5 text-[11px] font-medium text-red-700 ring-1 ring-red-200 ring-inset dark:bg-red-950/50 dark:text-red-300 dark:ring-red-900">
              deleted
            </span>
          )}
        </span>
      );
    case "status":
      return <RunStatus status={row.status} />;
    case "start_time":
      return (
        <span className="truncate">
          <Time value={new Date(row.startTime)} style="short" />
        </span>
      );
    case "end_time":
      return row.endTime === null ? (
        muted
      ) : (
        <span className="truncate">
          <Time value={new Date(row.endTime)} style="short" />
        </span>
      );
    case "duration":
      return (
        <span className="tabular-nums" suppressHydrationWarning>
          {formatDuration(row.startTime, row.endTime)}
        </span>
      );
    case "user_id":
      return <RunAuthorName author={row.author} reported={row.userId} className="truncate" />;
    case "experiment_id":
      return (
        <ListLink
          href={`/p/${slug}/experiments/${row.experimentId}`}
          tabIndex={-1}
          className="truncate text-stone-700 hover:underline dark:text-stone-300"
          title={`${row.experimentName} (${row.experimentId})`}
        >
          {row.experimentName}
        </ListLink>
      );
    case "run_id":
      return (
        <span className="font-mono text-xs text-stone-500" title={row.runId}>
          {row.runId.slice(0, 8)}
        </span>
      );
    default:
      return null;
  }
}
