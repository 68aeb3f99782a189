import type { TargetWindow } from "@/server/services/monitoring/views";

export type HeatmapData = { columns: string[]; buckets: number[]; bucketHours: number; cells: (number | null)[][] };

const HOUR_MS = 3_600_000;
/** More columns than this and a cell would be thinner than a pixel on a laptop: hours are grouped. */
const MAX_BUCKETS = 168;

/**
 * The heatmap's grid: one row per column (in the given order), one cell per bucket of hours across
 * the whole range (so quiet hours show as gaps), holding the largest PSI of its hours, or null
 * when no value was seen.
 */
export function heatmapData(windows: TargetWindow[], columns: string[], range: { from: Date; to: Date }): HeatmapData {
  const hours = Math.max(1, Math.round((range.to.getTime() - range.from.getTime()) / HOUR_MS));
  const bucketHours = Math.ceil(hours / MAX_BUCKETS);
  const count = Math.ceil(hours / bucketHours);
  const buckets = Array.from({ length: count }, (_, i) => range.from.getTime() + i * bucketHours * HOUR_MS);
  const cells = columns.map(() => new Array<number | null>(count).fill(null));
  for (const w of windows) {
    const bucket = Math.floor((w.windowStart.getTime() - range.from.getTime()) / (bucketHours * HOUR_MS));
    if (bucket < 0 || bucket >= count) continue;
    columns.forEach((column, row) => {
      const psi = w.drift[column]?.psi;
      if (psi === undefined) return;
      const held = cells[row]![bucket];
      cells[row]![bucket] = held === null || held === undefined ? psi : Math.max(held, psi);
    });
  }
  return { columns, buckets, bucketHours, cells };
}
