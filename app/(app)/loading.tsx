export default function Loading() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" aria-label="Loading">
      <div className="h-7 w-64 rounded bg-stone-200 dark:bg-stone-800" />
      <div className="h-4 w-96 max-w-full rounded bg-stone-200 dark:bg-stone-800" />
      <div className="h-48 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
    </div>
  );
}
