"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";

const GAP = 16;
const WIDE = "(min-width: 1024px)";

function useColumns(): number {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WIDE);
      query.addEventListener("change", onChange);
      return () => query.removeEventListener("change", onChange);
    },
    () => (window.matchMedia(WIDE).matches ? 2 : 1),
    () => 2,
  );
}

/**
 * A grid of charts, of which only the rows near the viewport are mounted: a section of
 * 10,000 charts costs the page a few rows of DOM, and a chart fetches its data only once mounted.
 * Rows scroll with the page (the window is the scroller), so several grids can sit one under another.
 */
export function VirtualChartGrid<T>({ items, rowHeight, render }: { items: readonly T[]; rowHeight: number; render: (item: T) => ReactNode }) {
  const columns = useColumns();
  const rows = Math.ceil(items.length / columns);
  const container = useRef<HTMLDivElement>(null);
  const [offset, setOffset] = useState(0);
  // Where the grid starts in the page moves as sections above it open and close (the body resizes).
  useLayoutEffect(() => {
    const measure = () => {
      const top = container.current ? container.current.getBoundingClientRect().top + window.scrollY : 0;
      setOffset((previous) => (Math.abs(top - previous) > 1 ? top : previous));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);
  const virtualizer = useWindowVirtualizer({ count: rows, estimateSize: () => rowHeight + GAP, overscan: 1, scrollMargin: offset });

  return (
    <div ref={container} className="relative" style={{ height: virtualizer.getTotalSize() - GAP }}>
      {virtualizer.getVirtualItems().map((row) => (
        // Rows are measured once drawn: a legend of many runs makes a chart taller than its estimate.
        <div
          key={row.key}
          ref={virtualizer.measureElement}
          data-index={row.index}
          className="absolute inset-x-0 grid gap-4"
          style={{ top: row.start - offset, minHeight: rowHeight, paddingBottom: GAP, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
        >
          {items.slice(row.index * columns, row.index * columns + columns).map(render)}
        </div>
      ))}
    </div>
  );
}
