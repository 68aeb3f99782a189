/** Number and value formatting shared by the runs table, its groups and its tooltips. */

// Four significant digits, trailing zeros kept, so a column of metrics lines up.
const compact = new Intl.NumberFormat("en", { minimumSignificantDigits: 4, maximumSignificantDigits: 4 });
const grouped = new Intl.NumberFormat("en");

/** A metric for a cell: four significant digits, exponents for the very large or small, NaN and ∞ as such. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(3).replace(/\.?0+e/, "e");
  if (Number.isInteger(value)) return grouped.format(value);
  return compact.format(value);
}

/** The full value, for a cell's title. */
export const exactMetric = (value: number) => (Number.isNaN(value) ? "NaN" : String(value));

export const formatCount = (value: number) => grouped.format(value);

export function plural(count: number, one: string, many = `${one}s`) {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
