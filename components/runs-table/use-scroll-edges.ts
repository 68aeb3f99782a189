"use client";

import { useCallback, useEffect, useState, type RefObject } from "react";

export type ScrollEdges = {
  /** Content hidden to the left (the list is scrolled right). */
  left: boolean;
  /** Content hidden to the right: more columns than fit. */
  right: boolean;
  /** Width of the vertical scrollbar, so a cue at the right edge does not cover it. */
  scrollbar: number;
};

const NONE: ScrollEdges = { left: false, right: false, scrollbar: 0 };

/**
 * Which sides of a horizontally scrolling box hide content, kept up to date as it scrolls, resizes
 * or its content (`contentWidth`) changes. Overlay scrollbars (macOS, touch) show nothing until
 * one scrolls, so the table draws its own cue from this.
 */
export function useScrollEdges(ref: RefObject<HTMLElement | null>, contentWidth: number): [ScrollEdges, () => void] {
  const [edges, setEdges] = useState<ScrollEdges>(NONE);
  const measure = useCallback(() => {
    const box = ref.current;
    if (!box) return;
    const next = {
      left: box.scrollLeft > 1,
      right: box.scrollLeft + box.clientWidth < box.scrollWidth - 1,
      scrollbar: box.offsetWidth - box.clientWidth,
    };
    setEdges((current) => (current.left === next.left && current.right === next.right && current.scrollbar === next.scrollbar ? current : next));
  }, [ref]);
  useEffect(() => {
    measure();
    const box = ref.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [ref, measure, contentWidth]);
  return [edges, measure];
}
