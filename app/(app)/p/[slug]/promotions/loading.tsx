export default function Loading() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" aria-label="Loading promotion requests">
      <div className="h-6 w-56 rounded bg-stone-200 dark:bg-stone-800" />
      <div className="space-y-3 rounded-lg border border-stone-200 p-4 dark:border-stone-800">
        <div className="h-8 w-72 rounded bg-stone-200/70 dark:bg-stone-800/70" />
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="h-12 rounded bg-stone-200/60 dark:bg-stone-800/60" />
        ))}
      </div>
    </div>
  );
}
