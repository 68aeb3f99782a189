export default function Loading() {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label="Loading the model">
      <div className="space-y-2">
        <div className="h-3 w-16 rounded bg-stone-200 dark:bg-stone-800" />
        <div className="h-7 w-72 rounded bg-stone-200 dark:bg-stone-800" />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <div className="h-32 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
          <div className="h-72 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
        </div>
        <div className="space-y-6">
          <div className="h-48 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
          <div className="h-32 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
        </div>
      </div>
    </div>
  );
}
