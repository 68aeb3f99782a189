import type { ReactNode } from "react";
import { cn } from "../ui/cn";

/** What the plot area shows instead of a plot: an error, or why there is nothing to draw. */
export function ChartMessage({ children, tone }: { children: ReactNode; tone?: "error" }) {
  return (
    <div
      role={tone === "error" ? "alert" : undefined}
      className={cn(
        "flex h-full flex-col items-center justify-center rounded-md border border-dashed px-4 text-center text-sm",
        tone === "error"
          ? "border-red-200 text-red-700 dark:border-red-900 dark:text-red-300"
          : "border-stone-200 text-stone-500 dark:border-stone-700 dark:text-stone-400",
      )}
    >
      {children}
    </div>
  );
}
