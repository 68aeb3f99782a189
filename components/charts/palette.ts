// Ten distinguishable hues, a shade for each theme; the first is close to the brand teal.
const PALETTE = {
  light: ["#0d9488", "#2563eb", "#e11d48", "#d97706", "#7c3aed", "#16a34a", "#db2777", "#0891b2", "#ea580c", "#4f46e5"],
  dark: ["#2dd4bf", "#60a5fa", "#fb7185", "#fbbf24", "#a78bfa", "#4ade80", "#f472b6", "#22d3ee", "#fb923c", "#818cf8"],
};

/** The colour of the i-th run of a chart (the same order as `runIds`). */
export const runColor = (index: number, dark: boolean) => (dark ? PALETTE.dark : PALETTE.light)[index % PALETTE.light.length]!;

/** The colour of a series whose run has none assigned (it never happens for runs of the chart). */
export const FALLBACK_COLOR = PALETTE.light[0]!;

/** A `#rrggbb` colour made translucent, for bands and faint lines. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
