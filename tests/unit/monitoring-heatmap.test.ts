import { describe, expect, it } from "vitest";
import { psiLevel, rangeOf, targetOfSegment, targetSegment } from "../../components/monitoring/format";
import { heatmapData } from "../../components/monitoring/heatmap-data";

const HOUR = 3_600_000;
const from = new Date(Date.UTC(2026, 11, 1));
const window = (hour: number, drift: Record<string, number>) => ({
  windowStart: new Date(from.getTime() + hour * HOUR),
  versions: [1],
  records: 1,
  labelled: 0,
  metric: null,
  drift: Object.fromEntries(Object.entries(drift).map(([k, psi]) => [k, { psi, ks: 0, js: null }])),
});

describe("heatmapData", () => {
  it("puts one cell per hour across a day, quiet hours and unseen columns as null", () => {
    const data = heatmapData([window(0, { age: 0.3 }), window(5, { age: 0.05, city: 0.2 })], ["age", "city"], {
      from,
      to: new Date(from.getTime() + 24 * HOUR),
    });
    expect(data.bucketHours).toBe(1);
    expect(data.buckets).toHaveLength(24);
    expect(data.cells[0]![0]).toBe(0.3);
    expect(data.cells[0]![1]).toBeNull();
    expect(data.cells[0]![5]).toBe(0.05);
    expect(data.cells[1]![0]).toBeNull();
    expect(data.cells[1]![5]).toBe(0.2);
  });

  it("groups 30 days into 5-hour buckets (at most 168 columns) holding their worst hour, and drops windows outside the range", () => {
    const data = heatmapData([window(1, { age: 0.1 }), window(4, { age: 0.4 }), window(6, { age: 0.01 }), window(-1, { age: 9 })], ["age"], {
      from,
      to: new Date(from.getTime() + 30 * 24 * HOUR),
    });
    expect(data.bucketHours).toBe(5);
    expect(data.buckets).toHaveLength(144);
    expect(data.cells[0]!.slice(0, 2)).toEqual([0.4, 0.01]);
  });
});

describe("monitoring format", () => {
  it("bands PSI at the usual 0.1 and 0.25", () => {
    expect([0, 0.099, 0.1, 0.249, 0.25, 3].map(psiLevel)).toEqual(["stable", "stable", "moderate", "moderate", "major", "major"]);
  });
  it("names the direct-version target with a segment no alias can take, and round-trips aliases", () => {
    expect(targetSegment("")).toBe("~direct");
    expect(targetOfSegment("~direct")).toBe("");
    expect(targetOfSegment(decodeURIComponent(targetSegment("champion")))).toBe("champion");
  });
  it("ends a range with the current hour", () => {
    const now = Date.UTC(2026, 11, 2, 6, 40);
    expect(rangeOf("24h", now)).toEqual({ from: new Date(Date.UTC(2026, 11, 1, 7)), to: new Date(Date.UTC(2026, 11, 2, 7)) });
  });
});
