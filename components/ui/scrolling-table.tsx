"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type ReactNode } from "react";

/**
 * A table of many equally tall rows in a scroll box of its own, of which only the rows in view are
 * in the DOM (spacer rows keep the scroll height), so 10,000 metrics or params cost a screenful.
 * Rows must be `rowHeight` pixels tall: cells truncate rather than wrap.
 */
export function ScrollingTable<T>(props: { label: string; rows: readonly T[]; rowHeight: number; header: ReactNode; renderRow: (row: T) => ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => props.rowHeight,
    overscan: 12,
    initialRect: { width: 800, height: 448 },
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    // The scroll box is focusable so the keyboard can scroll it.
    <div
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label={props.label}
      className="max-h-112 overflow-auto focus-visible:ring-2 focus-visible:ring-stone-400 focus-visible:outline-none"
    >
      <table className="w-full table-fixed text-left text-sm">
        <thead className="sticky top-0 z-10 bg-white dark:bg-stone-900">{props.header}</thead>
        <tbody>
          {before > 0 && <tr aria-hidden style={{ height: before }} />}
          {items.map((item) => props.renderRow(props.rows[item.index]!))}
          {after > 0 && <tr aria-hidden style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
}
