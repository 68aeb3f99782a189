"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef } from "react";
import { normalizeView, parseViewState, viewHref, type RunsView } from "@/server/services/tracking/run-view-state";

export type ViewUpdate = Partial<RunsView> | ((view: RunsView) => RunsView);

/**
 * The table's view, read from the URL and written back to it. Writing replaces the history entry
 * through the History API, which Next.js keeps in step with `useSearchParams`: the page's Server
 * Component is not rendered again for every sort or keystroke (the table fetches its own windows),
 * yet the address bar always holds the whole view, ready to share or reload.
 */
export function useRunsView(): [RunsView, (update: ViewUpdate) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const view = useMemo(() => parseViewState(searchParams), [searchParams]);
  const latest = useRef(view);
  latest.current = view;
  const setView = useCallback(
    (update: ViewUpdate) => {
      const next = normalizeView(typeof update === "function" ? update(latest.current) : { ...latest.current, ...update });
      latest.current = next;
      window.history.replaceState(null, "", viewHref(pathname, next));
    },
    [pathname],
  );
  return [view, setView];
}
