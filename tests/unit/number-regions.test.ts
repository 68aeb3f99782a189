import { describe, expect, it } from "vitest";
import type { Comparator } from "../../server/search/filter";
import { numberRegions, type NumberComparison } from "../../server/search/number-regions";

const COMPARATORS: Comparator[] = ["=", "!=", "<", "<=", ">", ">="];

const direct = ({ comparator, literal }: NumberComparison, v: number): boolean =>
  ({ "=": v === literal, "!=": v !== literal, "<": v < literal, "<=": v <= literal, ">": v > literal, ">=": v >= literal })[comparator as "="];

/** The region PostgreSQL's `width_bucket(v, thresholds)` gives: how many thresholds are at or below `v`. */
const regionOf = (v: number, thresholds: number[]) => thresholds.filter((t) => t <= v).length;

/** The doubles right below and above finite `x`, as values land on both sides of a literal. */
function neighbours(x: number): number[] {
  const up = (y: number) => {
    if (y === 0) return Number.MIN_VALUE;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, y);
    view.setBigUint64(0, view.getBigUint64(0) + (y > 0 ? 1n : -1n));
    return view.getFloat64(0);
  };
  return [-up(-x), up(x)];
}

function expectAgreement(comparisons: NumberComparison[], values: number[]) {
  const { thresholds, holds } = numberRegions(comparisons);
  expect([...thresholds].sort((a, b) => a - b)).toEqual(thresholds);
  for (const v of values) {
    const region = regionOf(v, thresholds);
    comparisons.forEach((c, i) => expect(holds[region]![i], `${v} ${c.comparator} ${c.literal}`).toBe(direct(c, v)));
  }
}

describe("numberRegions", () => {
  it("answers every comparator on, beside and between its literals as the comparison itself does", () => {
    const literals = [-3, -0.5, 0, 0.5, 1, 2.25, 1e300];
    const comparisons = literals.flatMap((literal) => COMPARATORS.map((comparator) => ({ comparator, literal })));
    const values = [-Infinity, -Number.MAX_VALUE, -1e308, ...literals.flatMap((l) => [l, ...neighbours(l)]), -0, 0.75, 1.5, 1e301, Number.MAX_VALUE, Infinity];
    expectAgreement(comparisons, values);
  });

  it("keeps adjacent literals apart, and treats -0 as 0", () => {
    const [below, above] = neighbours(1);
    expectAgreement(
      [
        { comparator: "<", literal: 1 },
        { comparator: "=", literal: above! },
        { comparator: ">=", literal: below! },
        { comparator: "=", literal: -0 },
        { comparator: "!=", literal: 0 },
        { comparator: ">", literal: Number.MIN_VALUE },
      ],
      [below!, 1, above!, ...neighbours(above!), 0, -0, Number.MIN_VALUE, -Number.MIN_VALUE],
    );
  });

  it("agrees on random comparisons and values", () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const literals = Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.round((random() - 0.5) * 20) / 4);
      const comparisons = literals.map((literal) => ({ comparator: COMPARATORS[Math.floor(random() * 6)]!, literal }));
      const values = [...literals.flatMap((l) => [l, ...neighbours(l)]), ...Array.from({ length: 10 }, () => (random() - 0.5) * 12)];
      expectAgreement(comparisons, values);
    }
  });
});
