/**
 * How monitoring pages name and colour things. Pure and shared by server and client components.
 * PSI bands follow the usual convention: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a major one.
 */
export const PSI_MODERATE = 0.1;
export const PSI_MAJOR = 0.25;

export type PsiLevel = "stable" | "moderate" | "major";

export function psiLevel(psi: number): PsiLevel {
  return psi >= PSI_MAJOR ? "major" : psi >= PSI_MODERATE ? "moderate" : "stable";
}

export const PSI_LEVEL_TEXT: Record<PsiLevel, string> = { stable: "stable", moderate: "moderate shift", major: "major shift" };

/** Cell colours: green to amber inside a band's range, red beyond, so the bands read at a glance. */
export function psiColor(psi: number): string {
  if (psi >= PSI_MAJOR) return psi >= 1 ? "#991b1b" : psi >= 0.5 ? "#dc2626" : "#f87171";
  if (psi >= PSI_MODERATE) return psi >= 0.175 ? "#f59e0b" : "#fcd34d";
  return psi >= 0.05 ? "#86efac" : "#dcfce7";
}

/** The URL segment of a target: the alias, or DIRECT for records that addressed a version directly (never an alias: "~" is not allowed in one). */
const DIRECT = "~direct";

export const targetSegment = (target: string) => (target === "" ? DIRECT : encodeURIComponent(target));
/** The target a decoded URL segment names. */
export const targetOfSegment = (decoded: string) => (decoded === DIRECT ? "" : decoded);
export const targetLabel = (target: string) => (target === "" ? "Direct version" : `@${target}`);

export const RANGES = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 } as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_TEXT: Record<RangeKey, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

const HOUR_MS = 3_600_000;

/** The last `key` of hours, ending with the current hour (whose window is still filling). */
export function rangeOf(key: RangeKey, now = Date.now()): { from: Date; to: Date } {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { from: new Date(to - RANGES[key] * HOUR_MS), to: new Date(to) };
}

export const isRangeKey = (value: unknown): value is RangeKey => typeof value === "string" && value in RANGES;

export const formatPsi = (psi: number) => (psi >= 10 ? psi.toFixed(1) : psi.toFixed(3));
export const formatShare = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The metric's value as people read it: accuracy as a percentage, errors with four significant digits. */
export function formatMetric(metric: string, value: number | null): string {
  if (value === null) return "—";
  return metric === "accuracy" ? `${(value * 100).toFixed(1)}%` : Number(value.toPrecision(4)).toString();
}

/** "06:00 2 Dec" in UTC, the hours windows are cut at. */
export function hourText(at: Date | number): string {
  const d = new Date(at);
  return `${String(d.getUTCHours()).padStart(2, "0")}:00 ${d.getUTCDate()} ${d.toLocaleString("en", { month: "short", timeZone: "UTC" })} UTC`;
}
