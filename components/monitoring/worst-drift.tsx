import type { RangeColumnDrift } from "@/server/services/monitoring/views";
import { formatPsi, formatShare, PSI_LEVEL_TEXT, psiLevel } from "./format";

const LEVEL_CLASS = {
  stable: "bg-emerald-50 text-emerald-800 dark:bg-emerald-900/30 dark:text-emerald-300",
  moderate: "bg-amber-50 text-amber-800 dark:bg-amber-900/30 dark:text-amber-300",
  major: "bg-red-50 text-red-800 dark:bg-red-900/30 dark:text-red-300",
};

/** One column's histogram, reference beside production, bin by bin, with the shares written out. */
function ColumnHistogram({ drift }: { drift: RangeColumnDrift }) {
  const top = Math.max(...drift.bins.flatMap((b) => [b.reference, b.current]), 0.0001);
  const level = psiLevel(drift.psi);
  return (
    <section aria-labelledby={`drift-${drift.column}-${drift.version}`} className="space-y-2">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`drift-${drift.column}-${drift.version}`} className="text-sm font-semibold">
          {drift.column}
          <span className="ml-1.5 text-xs font-normal text-stone-500">
            {drift.role === "prediction" ? "prediction" : drift.kind} · v{drift.version} · {drift.values.toLocaleString("en")} values
            {drift.missing > 0 && `, ${drift.missing.toLocaleString("en")} missing`}
          </span>
        </h3>
        <p className="text-xs tabular-nums">
          <span className={`rounded-full px-1.5 py-px font-medium ${LEVEL_CLASS[level]}`}>
            PSI {formatPsi(drift.psi)} · {PSI_LEVEL_TEXT[level]}
          </span>
          {drift.ks !== null && <span className="ml-2 text-stone-600 dark:text-stone-400">KS {drift.ks.toFixed(3)}</span>}
          {drift.js !== null && <span className="ml-2 text-stone-600 dark:text-stone-400">JS {drift.js.toFixed(3)}</span>}
        </p>
      </header>
      <table className="w-full text-xs">
        <caption className="sr-only">Share of values per bin of {drift.column}: reference and production</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Bin</th>
            <th scope="col">Reference</th>
            <th scope="col">Production</th>
          </tr>
        </thead>
        <tbody>
          {drift.bins.map((b) => (
            <tr key={b.label}>
              <th scope="row" className="w-28 truncate pr-2 text-left font-normal text-stone-600 dark:text-stone-400" title={b.label}>
                {b.label}
              </th>
              <td className="py-0.5">
                <div className="flex items-center gap-2">
                  <div className="h-2 rounded-sm bg-stone-400 dark:bg-stone-500" style={{ width: `${(b.reference / top) * 100}%`, minWidth: 1 }} />
                  <span className="tabular-nums text-stone-500">{formatShare(b.reference)}</span>
                </div>
                <div className="mt-0.5 flex items-center gap-2">
                  <div className="h-2 rounded-sm bg-brand-600" style={{ width: `${(b.current / top) * 100}%`, minWidth: 1 }} />
                  <span className="tabular-nums">{formatShare(b.current)}</span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The columns that drifted most over the range, worst first. */
export function WorstDrift({ drift, limit = 6 }: { drift: RangeColumnDrift[]; limit?: number }) {
  return (
    <div className="space-y-5">
      <p className="flex gap-4 text-xs text-stone-500">
        <span className="flex items-center gap-1.5">
          <span className="inline-block h-2 w-4 rounded-sm bg-stone-400 dark:bg-stone-500" aria-hidden /> reference
        </span>
        <span className="flex items-center gap-1.5">
          <span className="inline-block h-2 w-4 rounded-sm bg-brand-600" aria-hidden /> production, this range
        </span>
      </p>
      {drift.slice(0, limit).map((d) => (
        <ColumnHistogram key={`${d.column}@${d.version}`} drift={d} />
      ))}
    </div>
  );
}
