"use client";

import type { Header } from "@tanstack/react-table";
import { ArrowDown, ArrowUp } from "lucide-react";
import type { RunsTableRow } from "@/server/services/tracking/runs-table";
import { columnLabel } from "@/server/services/tracking/run-columns";
import { cn } from "../ui/cn";
import { alignsRight } from "./cells";
import { Checkbox } from "./checkbox";

/** The shadow the pinned run name casts over the columns scrolled under it. */
export const PINNED_SHADOW = "shadow-[6px_0_6px_-4px_rgb(0_0_0/0.15)] dark:shadow-[6px_0_6px_-4px_rgb(0_0_0/0.6)]";

/**
 * One column header of the run list: sorts on click (Shift adds a further sort term), shows the
 * sort direction and rank, and resizes by dragging its edge (double-click resets it). The
 * selection column's header is the select-all box instead.
 */
export function HeaderCell(props: {
  header: Header<RunsTableRow, unknown>;
  first: boolean;
  pinnedStyle?: { left: number };
  /** The list is scrolled right: the pinned run name casts a shadow over what scrolls under it. */
  shadowed?: boolean;
  sortIndex: number;
  sortCount: number;
  desc: boolean;
  onSort: (column: string, additive: boolean) => void;
  allChecked: boolean | "indeterminate";
  onToggleAll: () => void;
}) {
  const { header } = props;
  const id = header.column.id;
  const sorted = props.sortIndex >= 0;
  const base = cn(
    "relative flex items-center text-xs font-medium text-stone-600 dark:text-stone-300",
    props.first && id !== "select" && id !== "attributes.run_name" && "border-l border-stone-200 dark:border-stone-800",
    props.pinnedStyle && "sticky z-10 bg-stone-50 dark:bg-stone-900",
    id === "attributes.run_name" && "border-r border-stone-200 dark:border-stone-800",
    id === "attributes.run_name" && props.shadowed && PINNED_SHADOW,
  );
  if (id === "select") {
    return (
      <div role="columnheader" className={cn(base, "justify-center")} style={{ width: header.getSize(), ...props.pinnedStyle }}>
        <Checkbox checked={props.allChecked} onToggle={props.onToggleAll} label="Select the loaded runs" />
      </div>
    );
  }
  const label = columnLabel(id);
  const Arrow = props.desc ? ArrowDown : ArrowUp;
  return (
    <div
      role="columnheader"
      aria-sort={props.sortIndex === 0 ? (props.desc ? "descending" : "ascending") : undefined}
      className={base}
      style={{ width: header.getSize(), ...props.pinnedStyle }}
    >
      <button
        type="button"
        onClick={(e) => props.onSort(id, e.shiftKey)}
        title={`Sort by ${label}; Shift-click to add it as a further sort`}
        className={cn(
          "flex h-full min-w-0 flex-1 items-center gap-1 px-3 hover:bg-stone-100 hover:text-stone-900 dark:hover:bg-stone-800 dark:hover:text-stone-100",
          alignsRight(id) && "justify-end",
          sorted && "text-stone-900 dark:text-stone-50",
        )}
      >
        <span className={cn("truncate", !id.startsWith("attributes.") && "font-mono")}>{label}</span>
        {sorted && (
          <span className="flex shrink-0 items-center text-brand-600 dark:text-brand-500">
            <Arrow className="size-3.5" aria-hidden />
            {props.sortCount > 1 && <span className="text-[10px] tabular-nums">{props.sortIndex + 1}</span>}
          </span>
        )}
      </button>
      {header.column.getCanResize() && (
        <div
          role="separator"
          aria-orientation="vertical"
          aria-label={`Resize ${label}`}
          onMouseDown={header.getResizeHandler()}
          onTouchStart={header.getResizeHandler()}
          onDoubleClick={() => header.column.resetSize()}
          className={cn(
            "absolute top-0 right-0 z-10 h-full w-1.5 cursor-col-resize touch-none select-none hover:bg-brand-500/40",
            header.column.getIsResizing() && "bg-brand-500/60",
          )}
        />
      )}
    </div>
  );
}
