import type { ReferenceColumn } from "../../db/schema";

/** How many bins a reference column has: one per inner edge plus one, or its categories plus "other". */
export function binCount(column: ReferenceColumn): number {
  return column.kind === "numeric" ? (column.edges?.length ?? 0) + 1 : (column.categories?.length ?? 0) + 1;
}

/**
 * The bin a value falls in, or null when it is absent. Numeric bins are right-closed, as quantile
 * cut points are (a value equal to an edge belongs to the bin below it); a value that is not a
 * finite number counts as absent. Categorical values outside the reference's categories go to the
 * last bin.
 */
export function binOf(column: ReferenceColumn, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (column.kind === "numeric") {
    const x = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(x)) return null;
    const edges = column.edges ?? [];
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  const categories = column.categories ?? [];
  const index = categories.indexOf(String(value));
  return index === -1 ? categories.length : index;
}
