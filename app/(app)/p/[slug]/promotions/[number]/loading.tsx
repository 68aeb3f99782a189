export default function Loading() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Loading the request">
      <div className="mb-6 space-y-3">
        <div className="h-3 w-32 rounded bg-stone-200 dark:bg-stone-800" />
        <div className="h-8 w-[32rem] max-w-full rounded bg-stone-200 dark:bg-stone-800" />
        <div className="h-6 w-96 max-w-full rounded bg-stone-200/70 dark:bg-stone-800/70" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="space-y-6">
          <div className="h-32 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
          <div className="h-80 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
          <div className="h-40 rounded-lg bg-stone-200/70 dark:bg-stone-800/70" />
        </div>
        <div className="space-y-4">
          <div className="h-24 rounded-lg bg-stone-200/60 dark:bg-stone-800/60" />
          <div className="h-40 rounded-lg bg-stone-200/60 dark:bg-stone-800/60" />
        </div>
      </div>
    </div>
  );
}
