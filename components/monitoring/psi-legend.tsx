import { PSI_MAJOR, PSI_MODERATE, psiColor } from "./format";

/** What the heatmap's colours and the PSI figures mean, with the thresholds people use. */
export function PsiLegend() {
  const items = [
    { color: psiColor(0), text: `PSI < ${PSI_MODERATE}: stable` },
    { color: psiColor(PSI_MODERATE), text: `${PSI_MODERATE}–${PSI_MAJOR}: moderate shift, worth a look` },
    { color: psiColor(PSI_MAJOR), text: `≥ ${PSI_MAJOR}: major shift, the model sees data unlike its training` },
  ];
  return (
    <div className="space-y-1 text-xs text-stone-600 dark:text-stone-400">
      <ul className="flex flex-wrap gap-x-4 gap-y-1">
        {items.map((i) => (
          <li key={i.text} className="flex items-center gap-1.5">
            <span className="inline-block size-3 rounded-sm border border-stone-300 dark:border-stone-700" style={{ background: i.color }} aria-hidden />
            {i.text}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span className="inline-block size-3 rounded-sm bg-stone-100 dark:bg-stone-800" aria-hidden />
          no values that hour
        </li>
      </ul>
      <p>
        PSI (population stability index) compares each hour&apos;s distribution with the version&apos;s reference, bin by bin. KS (numeric columns) is the
        largest gap between the two cumulative distributions; JS (categorical columns) is the Jensen–Shannon distance, 0 identical to 1 disjoint.
      </p>
    </div>
  );
}
