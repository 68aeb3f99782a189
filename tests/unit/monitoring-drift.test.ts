import { describe, expect, it } from "vitest";
import type { ReferenceColumn } from "../../server/db/schema";
import { columnDrift } from "../../server/services/monitoring/drift";
import { isWorse, productionMetric } from "../../server/services/monitoring/production-metric";

const numeric = (counts: number[]): ReferenceColumn => ({ name: "age", role: "feature", kind: "numeric", edges: [1, 2], counts, missing: 0 });
const categorical = (counts: number[]): ReferenceColumn => ({ name: "city", role: "feature", kind: "categorical", categories: ["a", "b"], counts, missing: 0 });

describe("columnDrift", () => {
  it("computes PSI and KS of a numeric column by hand: shares ¼ ¼ ½ against ½ ¼ ¼", () => {
    const drift = columnDrift(numeric([2, 2, 4]), [4, 2, 2]);
    // PSI = (½ − ¼)·ln 2 + 0 + (¼ − ½)·ln ½ = ½·ln 2
    expect(drift.psi).toBeCloseTo(0.34657359027997264, 12);
    // cumulative ¼ ½ 1 against ½ ¾ 1
    expect(drift.ks).toBe(0.25);
    expect(drift.js).toBeNull();
  });

  it("computes JS of a categorical column by hand and floors the share of a bin empty on one side for PSI", () => {
    const drift = columnDrift(categorical([1, 1, 0]), [1, 0, 1]);
    // m = ½ ¼ ¼; each KL to m is ½ bit, so the distance is √½
    expect(drift.js).toBeCloseTo(Math.SQRT1_2, 12);
    expect(drift.ks).toBeNull();
    // Two bins go ½ ↔ 0, the 0 floored to 1e-4: 2 · (½ − 1e-4) · ln(½ / 1e-4)
    expect(drift.psi).toBeCloseTo(0.9998 * Math.log(5000), 10);
    expect(drift.psi).toBeCloseTo(8.515489752777954, 10);
    expect(Number.isFinite(drift.psi)).toBe(true);
  });

  it("gives 1 for disjoint categorical distributions, the JS distance's maximum", () => {
    expect(columnDrift(categorical([3, 0, 0]), [0, 5, 0]).js).toBeCloseTo(1, 12);
  });

  it("gives exactly 0 for identical distributions, whatever the window's size", () => {
    expect(columnDrift(numeric([2, 2, 4]), [2, 2, 4])).toEqual({ psi: 0, ks: 0, js: null });
    expect(columnDrift(numeric([1, 3, 7]), [10, 30, 70])).toEqual({ psi: 0, ks: 0, js: null });
    expect(columnDrift(categorical([1, 2, 3]), [3, 6, 9])).toEqual({ psi: 0, ks: null, js: 0 });
  });

  it("shows no drift for an empty window or an empty reference instead of dividing by zero", () => {
    expect(columnDrift(numeric([2, 2, 4]), [0, 0, 0])).toEqual({ psi: 0, ks: 0, js: null });
    expect(columnDrift(numeric([2, 2, 4]), [])).toEqual({ psi: 0, ks: 0, js: null });
    expect(columnDrift(categorical([0, 0, 0]), [1, 2, 3])).toEqual({ psi: 0, ks: null, js: 0 });
  });

  it("reads a short counts array as zeros in the bins it lacks", () => {
    expect(columnDrift(numeric([2, 2, 4]), [4, 2])).toEqual(columnDrift(numeric([2, 2, 4]), [4, 2, 0]));
  });
});

describe("productionMetric", () => {
  const sums = { labelled: 4, correct: 3, absErrorSum: 2, squaredErrorSum: 9 };
  it("computes accuracy, MAE and RMSE from a window's sums", () => {
    expect(productionMetric("accuracy", sums)).toBe(0.75);
    expect(productionMetric("mae", sums)).toBe(0.5);
    expect(productionMetric("rmse", sums)).toBe(1.5);
  });
  it("is null before any label", () => {
    expect(productionMetric("accuracy", { ...sums, labelled: 0 })).toBeNull();
  });
});

describe("isWorse", () => {
  it("calls a lower accuracy worse only beyond the margin", () => {
    expect(isWorse("accuracy", 0.8, 0.9, 0.05)).toBe(true);
    expect(isWorse("accuracy", 0.86, 0.9, 0.05)).toBe(false);
    expect(isWorse("accuracy", 0.95, 0.9, 0)).toBe(false);
  });
  it("calls a higher error worse only beyond the margin", () => {
    expect(isWorse("mae", 1.3, 1, 0.2)).toBe(true);
    expect(isWorse("rmse", 1.1, 1, 0.2)).toBe(false);
    expect(isWorse("rmse", 0.5, 1, 0)).toBe(false);
  });
});
