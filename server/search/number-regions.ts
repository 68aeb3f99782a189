import type { Comparator } from "./filter";

export type NumberComparison = { comparator: Comparator; literal: number };

/**
 * Comparisons on one number split the number line into regions where each of them is either true
 * or false throughout: each literal, and the stretches below, between and above the literals.
 * `thresholds` lists every literal followed by the next larger double, so that the region of a
 * value is the number of thresholds at or below it (PostgreSQL's `width_bucket`, one binary
 * search): 0 below the first literal, 1 on it, 2 between it and the next, and so on. `holds[r][i]`
 * says whether comparison `i` holds in region `r`. Literals are finite, as the parser admits no
 * other.
 */
export function numberRegions(comparisons: readonly NumberComparison[]): { thresholds: number[]; holds: boolean[][] } {
  const points = [...new Set(comparisons.map((c) => c.literal))].sort((a, b) => a - b);
  const holds = Array.from({ length: 2 * points.length + 1 }, (_, region) => comparisons.map((c) => holdsIn(c, points, region)));
  return { thresholds: points.flatMap((p) => [p, nextUp(p)]), holds };
}

const TESTS: Partial<Record<Comparator, (value: number, literal: number) => boolean>> = {
  "=": (v, p) => v === p,
  "!=": (v, p) => v !== p,
  "<": (v, p) => v < p,
  "<=": (v, p) => v <= p,
  ">": (v, p) => v > p,
  ">=": (v, p) => v >= p,
};

function holdsIn({ comparator, literal }: NumberComparison, points: number[], region: number): boolean {
  if (region % 2 === 1) return TESTS[comparator]!(points[(region - 1) / 2]!, literal);
  // Strictly between two neighbouring points: every literal lies on one side of the value.
  const below = points[region / 2 - 1] ?? -Infinity;
  const above = points[region / 2] ?? Infinity;
  switch (comparator) {
    case "=":
      return false;
    case "!=":
      return true;
    case "<":
    case "<=":
      return literal >= above;
    default:
      return literal <= below;
  }
}

/** The smallest double above finite `x`. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
