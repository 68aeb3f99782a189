import type { ReferenceColumn } from "../../db/schema";
import { binCount } from "./binning";

/** Drift of one column in one window against its reference: KS for numeric columns, JS for categorical ones, PSI for both. */
export type ColumnDrift = { psi: number; ks: number | null; js: number | null };

/**
 * The share PSI gives a bin that is empty on one side: ln(0) has no value, and clipping every
 * share to this floor is the usual convention (and what the Python tier reproduces with numpy).
 */
const PSI_FLOOR = 1e-4;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Population stability index: Σ (q − p) · ln(q / p) over bins, with shares clipped to PSI_FLOOR. */
function psiOf(reference: number[], current: number[], refTotal: number, curTotal: number): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = Math.max(reference[i]! / refTotal, PSI_FLOOR);
    const q = Math.max(current[i]! / curTotal, PSI_FLOOR);
    psi += (q - p) * Math.log(q / p);
  }
  return psi;
}

/**
 * Kolmogorov–Smirnov statistic over bins: the largest gap between the two cumulative shares.
 * Cumulative counts are divided once, as scipy's ks_2samp does, so the value is the one it gives on
 * the samples digitized at the reference's edges, to the last bit.
 */
function ksOf(reference: number[], current: number[], refTotal: number, curTotal: number): number {
  let a = 0;
  let b = 0;
  let ks = 0;
  for (let i = 0; i < reference.length; i++) {
    a += reference[i]!;
    b += current[i]!;
    ks = Math.max(ks, Math.abs(a / refTotal - b / curTotal));
  }
  return ks;
}

/** Jensen–Shannon distance in base 2 (0 identical … 1 disjoint), as scipy.spatial.distance.jensenshannon(p, q, base=2). */
function jsOf(reference: number[], current: number[], refTotal: number, curTotal: number): number {
  let divergence = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i]! / refTotal;
    const q = current[i]! / curTotal;
    const m = (p + q) / 2;
    if (p > 0) divergence += p * Math.log2(p / m);
    if (q > 0) divergence += q * Math.log2(q / m);
  }
  // Rounding can leave a hair below zero for identical shares; the distance is the root of a non-negative number.
  return Math.sqrt(Math.max(divergence / 2, 0));
}

/**
 * How far one window's counts of a column are from the reference's, bin by bin (missing values are
 * not a bin, so they do not count). A side without any value shows no drift: there is nothing to
 * compare, and a quiet hour must not look like a shifted one.
 */
export function columnDrift(column: ReferenceColumn, counts: number[]): ColumnDrift {
  const bins = binCount(column);
  const reference = Array.from({ length: bins }, (_, i) => column.counts[i] ?? 0);
  const current = Array.from({ length: bins }, (_, i) => counts[i] ?? 0);
  const refTotal = sum(reference);
  const curTotal = sum(current);
  const numeric = column.kind === "numeric";
  if (refTotal === 0 || curTotal === 0) return { psi: 0, ks: numeric ? 0 : null, js: numeric ? null : 0 };
  return {
    psi: psiOf(reference, current, refTotal, curTotal),
    ks: numeric ? ksOf(reference, current, refTotal, curTotal) : null,
    js: numeric ? null : jsOf(reference, current, refTotal, curTotal),
  };
}
