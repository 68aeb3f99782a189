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
