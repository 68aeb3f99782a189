/** Grey bars in the shape of the table, while the first window loads. */
export function SkeletonRows({ rows = 10 }: { rows?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading runs" className="animate-pulse">
      <div className="h-[62px] border-b border-stone-200 bg-stone-50 dark:border-stone-800 dark:bg-stone-900" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex h-9 items-center gap-6 border-b border-stone-100 px-4 dark:border-stone-800/70">
          <div className="size-4 rounded bg-stone-200 dark:bg-stone-800" />
          <div className="h-2.5 w-48 rounded bg-stone-200 dark:bg-stone-800" style={{ opacity: 1 - i * 0.07 }} />
          <div className="h-2.5 w-16 rounded bg-stone-200 dark:bg-stone-800" />
          <div className="h-2.5 w-20 rounded bg-stone-200 dark:bg-stone-800" />
          <div className="ml-auto h-2.5 w-14 rounded bg-stone-200 dark:bg-stone-800" />
          <div className="h-2.5 w-14 rounded bg-stone-200 dark:bg-stone-800" />
        </div>
      ))}
    </div>
  );
}

/** The whole table while the page's server render is still on its way (a Suspense fallback). */
export function RunsTableSkeleton() {
  return (
    <div className="space-y-3" aria-busy="true" aria-label="Loading runs">
      <div className="flex gap-2">
        <div className="h-9 flex-1 animate-pulse rounded-md bg-stone-200/70 dark:bg-stone-800/70" />
        <div className="h-9 w-28 animate-pulse rounded-md bg-stone-200/70 dark:bg-stone-800/70" />
        <div className="h-9 w-24 animate-pulse rounded-md bg-stone-200/70 dark:bg-stone-800/70" />
        <div className="h-9 w-32 animate-pulse rounded-md bg-stone-200/70 dark:bg-stone-800/70" />
      </div>
      <div className="flex gap-2">
        {[20, 16, 24, 28].map((w) => (
          <div key={w} className="h-8 animate-pulse rounded-md bg-stone-200/60 dark:bg-stone-800/60" style={{ width: `${w * 0.25}rem` }} />
        ))}
      </div>
      <div className="overflow-hidden rounded-lg border border-stone-200 bg-white dark:border-stone-800 dark:bg-stone-950">
        <SkeletonRows />
      </div>
    </div>
  );
}
