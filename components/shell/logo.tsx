/** The Cairn mark: three stacked stones. */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 font-semibold tracking-tight">
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden>
        <ellipse cx="12" cy="19" rx="9" ry="3.2" className="fill-stone-400 dark:fill-stone-600" />
        <ellipse cx="12" cy="13.2" rx="6.4" ry="2.8" className="fill-brand-600" />
        <ellipse cx="12" cy="8" rx="3.9" ry="2.3" className="fill-brand-500" />
      </svg>
      {!compact && <span className="text-lg">Cairn</span>}
    </span>
  );
}
