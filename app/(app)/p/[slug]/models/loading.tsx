export default function Loading() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" aria-label="Loading models">
      <div className="h-6 w-48 rounded bg-stone-200 dark:bg-stone-800" />
      <div className="h-20 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
      <div className="space-y-2 rounded-lg border border-stone-200 p-4 dark:border-stone-800">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-10 rounded bg-stone-200/60 dark:bg-stone-800/60" />
        ))}
      </div>
    </div>
  );
}
