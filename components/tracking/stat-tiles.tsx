type Stat = { label: string; value: number | string; hint?: string };

/** A row of headline figures. */
export function StatTiles({ stats }: { stats: Stat[] }) {
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
      {stats.map((s) => (
        <div key={s.label} className="rounded-lg border border-stone-200 bg-white px-4 py-3 dark:border-stone-800 dark:bg-stone-900">
          <dt className="text-xs font-medium tracking-wide text-stone-500 uppercase">{s.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">{typeof s.value === "number" ? s.value.toLocaleString("en") : s.value}</dd>
          {s.hint && <dd className="text-xs text-stone-500">{s.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
