import { Search } from "lucide-react";
import type { CSSProperties } from "react";
import type { CompareRun } from "@/server/services/tracking/compare";
import { cn } from "../ui/cn";

/** The first column of a side-by-side table stays in view while the runs scroll sideways. */
export const stickyKey = "sticky left-0 z-[1] bg-white dark:bg-stone-900";

const th = "border-b border-stone-200 px-3 py-2 text-left text-xs font-medium text-stone-500 dark:border-stone-800 dark:text-stone-400";

/** A run's colour in each theme. */
export type RunColor = { light: string; dark: string };

/** A run's colour dot, right in either theme from the first paint (CSS picks the shade, not JavaScript). */
export function Swatch({ color, className }: { color: RunColor; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn("shrink-0 rounded-full bg-(--swatch-light) dark:bg-(--swatch-dark)", className)}
      style={{ "--swatch-light": color.light, "--swatch-dark": color.dark } as CSSProperties}
    />
  );
}

/** Header cells naming each run, with its colour, above its column. */
export function RunHeads({ runs, palette, keyLabel }: { runs: CompareRun[]; palette: RunColor[]; keyLabel: string }) {
  return (
    <tr>
      <th scope="col" className={cn(th, stickyKey, "min-w-44 tracking-wide uppercase")}>
        {keyLabel}
      </th>
      {runs.map((run, i) => (
        <th key={run.runId} scope="col" className={cn(th, "max-w-44 min-w-28 align-bottom")}>
          <span className="flex items-center gap-1.5" title={run.runName}>
            <Swatch color={palette[i]!} className="size-2" />
            <span className="truncate font-semibold text-stone-700 normal-case dark:text-stone-200">{run.runName}</span>
          </span>
        </th>
      ))}
    </tr>
  );
}

/** A small filter box for a table's keys. */
export function KeyFilter({ value, onChange, label }: { value: string; onChange: (value: string) => void; label: string }) {
  return (
    <div className="relative w-56">
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-stone-400" aria-hidden />
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={label}
        aria-label={label}
        spellCheck={false}
        className="h-8 w-full rounded-md border border-stone-300 bg-white pr-2 pl-8 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-stone-700 dark:bg-stone-950"
      />
    </div>
  );
}

/** An on/off switch with its label. */
export function Switch({ checked, onChange, label }: { checked: boolean; onChange: (checked: boolean) => void; label: string }) {
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-stone-600 select-none dark:text-stone-300">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        onClick={() => onChange(!checked)}
        className={cn(
          "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors",
          checked ? "bg-brand-600" : "bg-stone-300 dark:bg-stone-700",
        )}
      >
        <span className={cn("inline-block size-4 rounded-full bg-white shadow transition-transform", checked ? "translate-x-4.5" : "translate-x-0.5")} />
      </button>
      {label}
    </label>
  );
}
