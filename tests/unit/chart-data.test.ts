import { describe, expect, it } from "vitest";
import {
  alignColumns,
  describeSeries,
  displayX,
  ema,
  formatDuration,
  formatExact,
  formatTick,
  formatTicks,
  nearestIndex,
  plotColumns,
  serverRangeOf,
  smallestPositive,
  toRunTable,
} from "../../components/charts/chart-data";
import { bucketGrid, bucketOf, type ChartSeries } from "../../server/services/tracking/chart-series";

const header = { runId: "r1", runName: "run one", startTime: 10_000, totalPoints: 4, pointsInRange: 4 };

const exact = (step: number[], timestamp: number[], value: number[]): ChartSeries => ({
  ...header,
  totalPoints: value.length,
  pointsInRange: value.length,
  exact: true,
  points: { step, timestamp, value },
});

const bucketed: ChartSeries = {
  ...header,
  totalPoints: 9,
  pointsInRange: 9,
  exact: false,
  bucketWidth: 3,
  points: {
    x0: [0, 3, 6],
    x1: [2, 5, 8],
    min: [1, null, -2],
    max: [5, null, Number.POSITIVE_INFINITY],
    last: [2, Number.NaN, 0.5],
    lastStep: [2, 5, 8],
    lastTimestamp: [12_000, 15_000, 18_000],
    count: [3, 3, 3],
  },
};

describe("bucket grid", () => {
  it("uses at most maxBuckets equal integer buckets covering the range", () => {
    expect(bucketGrid(0, 999_999, 1000)).toEqual({ lo: 0, width: 1000, buckets: 1000 });
    expect(bucketGrid(0, 19_999, 300)).toEqual({ lo: 0, width: 67, buckets: 299 });
    expect(bucketGrid(5, 5, 1000)).toEqual({ lo: 5, width: 1, buckets: 1 });
    expect(bucketGrid(-10, 9, 3)).toEqual({ lo: -10, width: 7, buckets: 3 });
    for (const [lo, hi, max] of [
      [0, 1, 1000],
      [3, 1_000_003, 7],
      [-5, 12_345, 999],
      [1_700_000_000_000, 1_700_086_400_000, 1000],
    ] as const) {
      const grid = bucketGrid(lo, hi, max);
      expect(grid.buckets).toBeLessThanOrEqual(max);
      expect(bucketOf(lo, grid)).toBe(0);
      expect(bucketOf(hi, grid)).toBe(grid.buckets - 1);
    }
  });

  it("stays exact beyond 2^53 spans and refuses empty ranges", () => {
    const grid = bucketGrid(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1000);
    expect(grid.buckets).toBeLessThanOrEqual(1000);
    expect(bucketOf(Number.MAX_SAFE_INTEGER, grid)).toBe(grid.buckets - 1);
    expect(() => bucketGrid(5, 4, 10)).toThrow(RangeError);
    expect(() => bucketGrid(0, 1.5, 10)).toThrow(RangeError);
  });
});

describe("x axes", () => {
  it("maps steps, wall time (seconds) and time since the start", () => {
    expect(displayX("step", 7, 12_345, 10_000)).toBe(7);
    expect(displayX("wall", 7, 12_345, 10_000)).toBe(12.345);
    expect(displayX("relative", 7, 12_345, 10_000)).toBe(2.345);
  });

  it("turns a visible window into the server's range, widened to whole units", () => {
    expect(serverRangeOf("step", { min: 10.4, max: 20.6 })).toEqual({ min: 10, max: 21, relative: false });
    expect(serverRangeOf("wall", { min: 1.0004, max: 2.0001 })).toEqual({ min: 1000, max: 2001, relative: false });
    expect(serverRangeOf("relative", { min: 0.5, max: 60 })).toEqual({ min: 500, max: 60_000, relative: true });
  });
});

describe("run tables", () => {
  it("keeps exact points as rows, merging points that share an x into one banded row", () => {
    const table = toRunTable(exact([0, 1, 1, 1, 2], [10_000, 11_000, 11_500, 11_800, 13_000], [1, 4, Number.NaN, 2, 3]), "step");
    expect(table.x).toEqual([0, 1, 2]);
    expect(table.value).toEqual([1, 2, 3]);
    expect(table.min).toEqual([1, 2, 3]);
    expect(table.max).toEqual([1, 4, 3]);
    expect(table.count).toEqual([1, 3, 1]);
    expect(table.timestamp).toEqual([10_000, 11_800, 13_000]);
    expect(table.banded).toBe(true);
    expect(toRunTable(exact([0, 1], [10_000, 12_000], [1, 2]), "relative")).toMatchObject({ x: [0, 2], banded: false });
  });

  it("places buckets at their last point, with x extents in display units", () => {
    const table = toRunTable(bucketed, "relative");
    expect(table.x).toEqual([2, 5, 8]);
    expect(table.firstX).toEqual([-10, -9.997, -9.994]);
    expect(toRunTable(bucketed, "step")).toMatchObject({ x: [2, 5, 8], firstX: [0, 3, 6], lastX: [2, 5, 8], banded: true });
  });
});

describe("plotted columns", () => {
  it("draws NaN and infinities as gaps, and clamps a band's floor on a log scale", () => {
    const table = toRunTable(bucketed, "step");
    expect(plotColumns(table, { log: false, smoothing: 0 })).toEqual({ line: [2, null, 0.5], raw: [2, null, 0.5], lo: [1, null, -2], hi: [5, null, null] });
    expect(plotColumns(table, { log: true, smoothing: 0, logFloor: 0.5 })).toMatchObject({ line: [2, null, 0.5], lo: [1, null, null] });
    expect(smallestPositive([table])).toBe(0.5);
    const logged = toRunTable(exact([0, 1, 2], [0, 1, 2], [0, -1, 3]), "step");
    expect(plotColumns(logged, { log: true, smoothing: 0 }).line).toEqual([null, null, 3]);
  });

  it("smooths the line only, never the band", () => {
    const table = toRunTable(bucketed, "step");
    const smooth = plotColumns(table, { log: false, smoothing: 0.9 });
    expect(smooth.lo).toEqual([1, null, -2]);
    expect(smooth.raw).toEqual([2, null, 0.5]);
    expect(smooth.line[0]).toBe(2);
    expect(smooth.line[1]).toBeNull();
    expect(smooth.line[2]).toBeCloseTo((0.9 * 0.1 * 2 + 0.1 * 0.5) / (1 - 0.81), 12);
  });
});

describe("ema", () => {
  it("is the identity at 0 and debiased otherwise", () => {
    expect(ema([1, 2, null, 3], 0)).toEqual([1, 2, null, 3]);
    const out = ema([4, 4, 4], 0.6);
    for (const v of out) expect(v).toBeCloseTo(4, 12);
    const steps = ema([0, 10], 0.5);
    expect(steps[0]).toBe(0);
    expect(steps[1]).toBeCloseTo(5 / 0.75, 12);
  });
});

describe("aligning runs", () => {
  it("puts every run on the union of x values, undefined where a run has no row", () => {
    const { x, columns } = alignColumns(
      [
        [0, 2, 4],
        [1, 2],
      ],
      [
        [[1, null, 3]],
        [
          [10, 20],
          [11, 21],
        ],
      ],
    );
    expect(x).toEqual([0, 1, 2, 4]);
    expect(columns).toEqual([
      [[1, undefined, null, 3]],
      [
        [undefined, 10, 20, undefined],
        [undefined, 11, 21, undefined],
      ],
    ]);
  });

  it("finds the nearest row", () => {
    expect(nearestIndex([], 3)).toBe(-1);
    expect(nearestIndex([0, 10, 20], -5)).toBe(0);
    expect(nearestIndex([0, 10, 20], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20], 99)).toBe(2);
  });
});

describe("words", () => {
  it("captions the point counts and how they are shown", () => {
    const million: ChartSeries = {
      ...bucketed,
      totalPoints: 1_000_000,
      pointsInRange: 1_000_000,
      points: { ...bucketed.points, count: Array(1000).fill(1000) },
    };
    expect(describeSeries([million], false)).toBe("1,000,000 points, shown as 1,000 buckets with min/max band");
    expect(describeSeries([{ ...million, pointsInRange: 250_000 }], true)).toBe(
      "250,000 of 1,000,000 points in view, shown as 1,000 buckets with min/max band",
    );
    const small = exact([0, 1], [0, 1], [1, 2]);
    expect(describeSeries([small], false)).toBe("2 points, all shown");
    expect(describeSeries([{ ...small, totalPoints: 9_000, pointsInRange: 2 }], true)).toBe("2 of 9,000 points in view, all shown");
    expect(describeSeries([small, million], false)).toBe("2 runs, 1,000,002 points, shown as 1,000 buckets with min/max band and 2 exact points");
    expect(describeSeries([{ ...small, totalPoints: 0, pointsInRange: 0 }], false)).toBe("no points logged");
  });

  it("formats values exactly and ticks and durations briefly", () => {
    expect([formatExact(0.1 + 0.2), formatExact(Number.NaN), formatExact(Number.NEGATIVE_INFINITY), formatExact(null)]).toEqual([
      "0.30000000000000004",
      "NaN",
      "−∞",
      "—",
    ]);
    expect([formatTick(0), formatTick(1_250_000), formatTick(0.123456), formatTick(0.00002)]).toEqual(["0", "1.25M", "0.1235", "2.0e−5"]);
    expect(formatTicks([405_850, 405_855, 405_860])).toEqual(["405,850", "405,855", "405,860"]);
    expect(formatTicks([100_000, 200_000, null])).toEqual(["100K", "200K", ""]);
    expect(formatTicks([0.123451, 0.123452])).toEqual(["0.123451", "0.123452"]);
    expect([formatDuration(0.25), formatDuration(45), formatDuration(725), formatDuration(12_000), formatDuration(180_000), formatDuration(-60)]).toEqual([
      "0.25s",
      "45s",
      "12m 05s",
      "3h 20m",
      "2d 2h",
      "−1m",
    ]);
  });
});
