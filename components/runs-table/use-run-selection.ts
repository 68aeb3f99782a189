"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { RunsTableRow } from "@/server/services/tracking/runs-table";

export type Picked = { runId: string; runName: string; deleted: boolean };

/** Runs the select-all box takes at most, as a bulk action does. */
export const MAX_BULK = 1000;

const pick = (r: RunsTableRow): Picked => ({ runId: r.runId, runName: r.runName, deleted: r.deleted });

/**
 * The selected runs and the keyboard's active row. The selection is kept across sorts and column
 * changes and cleared when the runs in view change (`runsKey`); the active row resets, and the
 * list scrolls to the top, when their order changes (`orderKey`). Shift selects a range from the
 * last row toggled.
 */
export function useRunSelection(options: {
  runsKey: string;
  orderKey: string;
  rowAt: (index: number) => RunsTableRow | undefined;
  loadedRows: () => RunsTableRow[];
  scrollToTop: () => void;
}) {
  const { rowAt, runsKey, orderKey } = options;
  const [selected, setSelected] = useState<Map<string, Picked>>(() => new Map());
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const anchor = useRef<number | null>(null);
  const scrollToTop = useRef(options.scrollToTop);
  scrollToTop.current = options.scrollToTop;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) return;
    setSelected(new Map());
    anchor.current = null;
  }, [runsKey]);
  useEffect(() => {
    if (firstRender.current) return;
    setActiveIndex(null);
    scrollToTop.current();
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
          if (select) next.set(r.runId, pick(r));
          else next.delete(r.runId);
        }
        return next;
      });
      anchor.current = index;
      setActiveIndex(index);
    },
    [rowAt],
  );

  const loadedRows = options.loadedRows().slice(0, MAX_BULK);
  const loadedSelected = loadedRows.filter((r) => selected.has(r.runId)).length;
  const allChecked = loadedRows.length > 0 && loadedSelected === loadedRows.length ? true : loadedSelected > 0 ? ("indeterminate" as const) : false;
  const toggleAll = () =>
    setSelected((current) => {
      const next = new Map(current);
      if (allChecked === true) for (const r of loadedRows) next.delete(r.runId);
      else for (const r of loadedRows) next.set(r.runId, pick(r));
      return next;
    });

  return {
    picked: [...selected.values()],
    isSelected: (runId: string) => selected.has(runId),
    clear: () => setSelected(new Map()),
    toggleRow,
    allChecked,
    toggleAll,
    activeIndex,
    setActiveIndex,
  };
}
