"use client";

import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** Whether the charts draw dark: the server renders light, and the theme is known once hydrated. */
export function useDark(): boolean {
  const { resolvedTheme } = useTheme();
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return hydrated && resolvedTheme === "dark";
}
