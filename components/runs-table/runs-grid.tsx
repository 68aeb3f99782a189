"use client";

import { getCoreRowModel, useReactTable, type ColumnDef, type ColumnSizingState } from "@tanstack/react-table";
import type { Virtualizer } from "@tanstack/react-virtual";
import { ChevronRight } from "lucide-react";
import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from "react";
import { parseColumnId, type ColumnKind } from "@/server/services/tracking/run-columns";
import type { SortTerm } from "@/server/services/tracking/run-view-state";
import type { RunsTableRow } from "@/server/services/tracking/runs-table";
import { cn } from "../ui/cn";
import { alignsRight, columnWidth, renderCell } from "./cells";
import { Checkbox } from "./checkbox";
import { HeaderCell, PINNED_SHADOW } from "./header-cell";
import { useScrollEdges } from "./use-scroll-edges";

export const ROW_HEIGHT = 36;
const GROUP_ROW_HEIGHT = 26;
const LEAF_ROW_HEIGHT = 36;
export const HEADER_HEIGHT = GROUP_ROW_HEIGHT + LEAF_ROW_HEIGHT;
const SELECT_WIDTH = 40;

const GROUP_TITLE: Record<ColumnKind, string> = { attributes: "Attributes", metrics: "Metrics", params: "Params", tags: "Tags" };
const GROUP_ORDER: ColumnKind[] = ["attributes", "metrics", "params", "tags"];
const NO_ROWS: RunsTableRow[] = [];
// Opaque, so the pinned columns hide what scrolls under them.
const SELECTED_BG = "bg-brand-50 dark:bg-[oklch(0.25_0.035_190)]";

type GridProps = {
  slug: string;
  /** The shown columns after the pinned run name, in the view's order (grouped by kind here). */
  columns: string[];
  total: number;
  rowAt: (index: number) => RunsTableRow | undefined;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  scrollRef: RefObject<HTMLDivElement | null>;
  sort: SortTerm[];
  onSort: (column: string, additive: boolean) => void;
  isSelected: (runId: string) => boolean;
  onToggleRow: (index: number, row: RunsTableRow, range: boolean) => void;
  allChecked: boolean | "indeterminate";
  onToggleAll: () => void;
  activeIndex: number | null;
  onActiveIndex: (index: number | null) => void;
  onOpenRun: (row: RunsTableRow) => void;
  onEscape: () => void;
  stale: boolean;
  height: string;
};

/**
 * The run list: a virtualized ARIA grid with a sticky two-row header (column groups, then columns),
 * the selection and run name pinned left, and resizable columns. TanStack Table models the columns;
 * rows come from windows fetched as they scroll into view, so only a few dozen exist in the DOM.
 * Keyboard: arrows, Page Up/Down, Home/End move; Enter opens the run; Space selects (Shift: a range).
 */
export function RunsGrid(props: GridProps) {
  const gridId = useId();
  const [sizing, setSizing] = useState<ColumnSizingState>({});
  const [focused, setFocused] = useState(false);

  const defs = useMemo<ColumnDef<RunsTableRow>[]>(() => {
    const groups = GROUP_ORDER.map((kind) => ({ kind, ids: props.columns.filter((id) => parseColumnId(id)?.kind === kind) })).filter((g) => g.ids.length);
    return [
      { id: "select", size: SELECT_WIDTH, enableResizing: false },
      { id: "attributes.run_name", size: columnWidth("attributes.run_name"), minSize: 120 },
      ...groups.map((group) => ({
        id: `group:${group.kind}`,
        header: GROUP_TITLE[group.kind],
        columns: group.ids.map((id) => ({ id, size: columnWidth(id), minSize: 64, maxSize: 900 })),
      })),
    ];
  }, [props.columns]);

  const table = useReactTable({
    data: NO_ROWS,
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: "onChange",
    state: { columnSizing: sizing },
    onColumnSizingChange: setSizing,
  });
  const [groupRow, leafRow] = table.getHeaderGroups();
  const leaves = table.getVisibleLeafColumns();
  const width = table.getTotalSize();
  const [edges, measureEdges] = useScrollEdges(props.scrollRef, width);
  const nameLeft = SELECT_WIDTH;
  const sortAt = (id: string) => props.sort.findIndex((t) => t.column === id);
  const items = props.virtualizer.getVirtualItems();
  const margin = props.virtualizer.options.scrollMargin;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.target !== event.currentTarget || props.total === 0) return;
    const last = props.total - 1;
    const current = props.activeIndex ?? -1;
    const page = Math.max(1, Math.floor(((props.scrollRef.current?.clientHeight ?? 600) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    let next: number;
    switch (event.key) {
      case "ArrowDown":
        next = Math.min(last, current + 1);
        break;
      case "ArrowUp":
        next = Math.max(0, current - 1);
        break;
      case "PageDown":
        next = Math.min(last, current + page);
        break;
      case "PageUp":
        next = Math.max(0, current - page);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = last;
        break;
      case "Enter": {
        const row = props.rowAt(current);
        if (row) props.onOpenRun(row);
        event.preventDefault();
        return;
      }
      case " ": {
        const row = props.rowAt(current);
        if (row) props.onToggleRow(current, row, event.shiftKey);
        event.preventDefault();
        return;
      }
      case "Escape":
        props.onEscape();
        return;
      default:
        return;
    }
    event.preventDefault();
    props.onActiveIndex(next);
    props.virtualizer.scrollToIndex(next, { align: "auto" });
  }

  const pinned = (id: string) => (id === "select" ? { left: 0 } : id === "attributes.run_name" ? { left: nameLeft } : undefined);
  const activeRendered = props.activeIndex !== null && items.some((i) => i.index === props.activeIndex);

  return (
    <div className="relative">
      <div
        ref={props.scrollRef}
        role="grid"
        tabIndex={0}
        aria-label="Runs"
        aria-rowcount={props.total + 2}
        aria-colcount={leaves.length}
        aria-multiselectable
        aria-busy={props.stale || undefined}
        aria-activedescendant={activeRendered ? `${gridId}-row-${props.activeIndex}` : undefined}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          if (e.target !== e.currentTarget) return;
          setFocused(true);
          if (props.activeIndex === null && props.total > 0) props.onActiveIndex(props.virtualizer.range?.startIndex ?? 0);
        }}
        onBlur={(e) => e.target === e.currentTarget && setFocused(false)}
        onScroll={measureEdges}
        className="relative overflow-auto overscroll-contain focus-visible:outline-none"
        style={{ height: props.height }}
      >
        <div style={{ width, minWidth: "100%" }} className="relative">
          <div role="rowgroup" className="sticky top-0 z-20 bg-stone-50 dark:bg-stone-900">
            {groupRow && (
              <div role="row" aria-rowindex={1} className="flex" style={{ height: GROUP_ROW_HEIGHT }}>
                {groupRow.headers.map((header) => (
                  <div
                    key={header.id}
                    role="columnheader"
                    aria-colspan={header.colSpan}
                    className={cn(
                      "flex items-end border-b border-stone-200 px-3 pb-1 text-[10px] font-semibold tracking-wider text-stone-400 uppercase dark:border-stone-800 dark:text-stone-500",
                      !header.isPlaceholder && "border-l border-l-stone-200 dark:border-l-stone-800",
                      pinned(header.column.id) && "sticky z-10 bg-stone-50 dark:bg-stone-900",
                    )}
                    style={{ width: header.getSize(), ...pinned(header.column.id) }}
                  >
                    {header.isPlaceholder ? null : String(header.column.columnDef.header)}
                  </div>
                ))}
                <div className="flex-1 border-b border-stone-200 dark:border-stone-800" />
              </div>
            )}
            {leafRow && (
              <div role="row" aria-rowindex={2} className="flex border-b border-stone-200 dark:border-stone-800" style={{ height: LEAF_ROW_HEIGHT }}>
                {leafRow.headers.map((header, i) => (
                  <HeaderCell
                    key={header.id}
                    header={header}
                    first={i === 0 || leafRow.headers[i - 1]?.column.parent?.id !== header.column.parent?.id}
                    pinnedStyle={pinned(header.column.id)}
                    shadowed={edges.left}
                    sortIndex={sortAt(header.column.id)}
                    sortCount={props.sort.length}
                    desc={props.sort[sortAt(header.column.id)]?.desc ?? false}
                    onSort={props.onSort}
                    allChecked={props.allChecked}
                    onToggleAll={props.onToggleAll}
                  />
                ))}
                <div className="flex-1 border-l border-stone-200 dark:border-stone-800" />
              </div>
            )}
          </div>
          <div role="rowgroup" className="relative" style={{ height: props.virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = props.rowAt(item.index);
              const selected = row ? props.isSelected(row.runId) : false;
              const active = props.activeIndex === item.index;
              return (
                <div
                  key={item.key}
                  id={`${gridId}-row-${item.index}`}
                  role="row"
                  aria-rowindex={item.index + 3}
                  aria-selected={selected}
                  onMouseDown={() => props.onActiveIndex(item.index)}
                  className={cn(
                    "group absolute top-0 left-0 flex border-b border-stone-100 text-sm dark:border-stone-800/70",
                    selected ? SELECTED_BG : "bg-white hover:bg-stone-50 dark:bg-stone-950 dark:hover:bg-stone-900",
                    row?.deleted && "text-stone-500",
                    props.stale && "opacity-60",
                    active && focused && "outline-2 -outline-offset-2 outline-brand-500",
                  )}
                  style={{ height: ROW_HEIGHT, width, minWidth: "100%", transform: `translateY(${item.start - margin}px)` }}
                >
                  {leaves.map((column) => {
                    const id = column.id;
                    const stick = pinned(id);
                    return (
                      <div
                        key={id}
                        role="gridcell"
                        className={cn(
                          "flex min-w-0 items-center overflow-hidden px-3 whitespace-nowrap",
                          alignsRight(id) && "justify-end",
                          id === "select" && "justify-center px-0",
                          stick && "sticky z-10",
                          stick && (selected ? SELECTED_BG : "bg-white group-hover:bg-stone-50 dark:bg-stone-950 dark:group-hover:bg-stone-900"),
                          id === "attributes.run_name" && "border-r border-stone-100 dark:border-stone-800/70",
                          id === "attributes.run_name" && edges.left && PINNED_SHADOW,
                        )}
                        style={{ width: column.getSize(), ...stick }}
                      >
                        {!row ? (
                          <span className="h-2.5 w-2/3 animate-pulse rounded bg-stone-200 dark:bg-stone-800" />
                        ) : id === "select" ? (
                          <Checkbox
                            checked={selected}
                            tabIndex={-1}
                            label={`Select ${row.runName}`}
                            onToggle={(event) => props.onToggleRow(item.index, row, event.shiftKey)}
                          />
                        ) : (
                          renderCell(row, id, props.slug)
                        )}
                      </div>
                    );
                  })}
                  <div className="flex-1" />
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {edges.right && (
        <>
          <div
            aria-hidden
            className="pointer-events-none absolute inset-y-0 z-30 w-12 bg-linear-to-l from-stone-900/12 to-transparent dark:from-black/50"
            style={{ right: edges.scrollbar }}
          />
          <button
            type="button"
            tabIndex={-1}
            title="More columns to the right"
            aria-label="Scroll right"
            onClick={() => props.scrollRef.current?.scrollBy({ left: props.scrollRef.current.clientWidth * 0.75, behavior: "smooth" })}
            className="absolute top-0.5 z-30 flex size-5 items-center justify-center rounded-full border border-stone-300 bg-white text-stone-600 shadow-sm hover:bg-stone-100 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-300"
            style={{ right: edges.scrollbar + 6 }}
          >
            <ChevronRight className="size-3.5" aria-hidden />
          </button>
        </>
      )}
    </div>
  );
}
