"use client";

import { useEffect, useLayoutEffect, useRef } from "react";

/**
 * Runs `reset` each time a dialog opens, and again if `subject` changes while it is open, so that
 * it starts fresh for what it was opened on. `reset` may change every render.
 */
export function useOnOpen(open: boolean, reset: () => void, subject?: unknown): void {
  const latest = useRef(reset);
  useLayoutEffect(() => {
    latest.current = reset;
  });
  useEffect(() => {
    if (open) latest.current();
  }, [open, subject]);
}
