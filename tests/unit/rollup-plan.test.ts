import { describe, expect, it } from "vitest";
import { ROLLUP_WIDTHS, rollupPlan } from "../../server/services/tracking/rollups";
import { seededRandom as random } from "../../server/services/demo/random";

describe("rollup plan", () => {
  it("picks the largest width not above the buckets' width, or none below the finest", () => {
    expect(rollupPlan(0, 63_999, 1000)).toMatchObject({ width: 64, m: 1n, bucketWidth: 64 });
    expect(rollupPlan(0, 999_999, 1000)).toMatchObject({ width: 512, bucketWidth: 1024 });
    expect(rollupPlan(0, 99_999, 1000)).toMatchObject({ width: 64, bucketWidth: 128 });
    expect(rollupPlan(0, 62_999, 1000)).toBeNull();
    expect(rollupPlan(5, 5, 10)).toBeNull();
    expect(rollupPlan(0, 10 ** 9, 1000)).toMatchObject({ width: 32_768 });
  });

  it("goes coarser for a series' share of a crowded chart, down to one chart bucket per rollup", () => {
    // 100 runs of 10⁵ steps: 400 rows each instead of 1,563 rows of 64 steps folded in pairs.
    expect(rollupPlan(0, 99_999, 1000, 400)).toMatchObject({ width: 512, m: 1n, bucketWidth: 512 });
    expect(rollupPlan(0, 999_999, 500, 400)).toMatchObject({ width: 4096, m: 1n });
    expect(rollupPlan(0, 999_999, 500, 5000)).toMatchObject({ width: 512, m: 4n });
    expect(rollupPlan(0, 10 ** 12, 1000, 1)).toMatchObject({ width: 32_768 });
    // Edges come from finer rollups and, at the very ends, raw points.
    expect(rollupPlan(100, 999_999, 500, 400)!.pieces).toEqual([
      { width: 4096, lo: 1n, hi: 243n },
      { width: 512, lo: 1n, hi: 7n },
      { width: 64, lo: 2n, hi: 7n },
      { width: 0, lo: 100n, hi: 127n },
      { width: 512, lo: 1952n, hi: 1952n },
      { width: 64, lo: 15624n, hi: 15624n },
    ]);
  });

  it("covers every step of the range exactly once, in at most maxBuckets aligned buckets, within its rows", () => {
    const seed = Date.now() % 1_000_000;
    const rand = random(seed);
    for (let k = 0; k < 2000; k++) {
      const maxBuckets = 10 + Math.floor(rand() * 5000);
      const lo = Math.floor((rand() - 0.5) * 2 ** 40);
      const hi = lo + Math.floor(rand() * 2 ** Math.floor(rand() * 36));
      // Half the plans get a series' share of a crowded chart, which may call for a coarser width.
      const maxRows = rand() < 0.5 ? Infinity : 1 + rand() * 2000;
      const plan = rollupPlan(lo, hi, maxBuckets, maxRows);
      const coarser = maxRows !== Infinity;
      const label = `seed ${seed}: ${lo}..${hi} in ${maxBuckets}`;
      if (!plan) {
        expect(Math.ceil((hi - lo + 1) / maxBuckets), label).toBeLessThan(ROLLUP_WIDTHS[0]);
        continue;
      }
      const [low, high] = [BigInt(lo), BigInt(hi)];
      // Chart buckets: from the bucket of lo at the plan's width to that of hi, m each.
      const chartBuckets = ((high >> BigInt(plan.shift)) - plan.base) / plan.m + 1n;
      expect(chartBuckets <= BigInt(maxBuckets), label).toBe(true);
      expect(plan.base, label).toBe(low >> BigInt(plan.shift));
      if (!coarser) expect(plan.width <= Math.ceil((hi - lo + 1) / maxBuckets), label).toBe(true);
      // The pieces tile lo..hi without gap or overlap; each lies inside one bucket of the plan's
      // width where it is finer; raw points only at the very ends, under 64 steps each.
      const ranges = plan.pieces
        .map((p) => (p.width ? { ...p, from: p.lo * BigInt(p.width), to: (p.hi + 1n) * BigInt(p.width) - 1n } : { ...p, from: p.lo, to: p.hi }))
        .sort((a, b) => (a.from < b.from ? -1 : 1));
      expect(ranges[0]!.from, label).toBe(low);
      expect(ranges.at(-1)!.to, label).toBe(high);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from, label).toBe(ranges[i - 1]!.to + 1n);
      for (const p of ranges) {
        expect(p.width <= plan.width, label).toBe(true);
        if (p.width < plan.width) expect(p.from >> BigInt(plan.shift), label).toBe(p.to >> BigInt(plan.shift));
        if (!p.width) expect(p.to - p.from < 63n, label).toBe(true);
      }
      expect(plan.pieces.filter((p) => !p.width).length, label).toBeLessThanOrEqual(2);
      const rows = plan.pieces.filter((p) => p.width).reduce((n, p) => n + Number(p.hi - p.lo + 1n), 0);
      const coarsest = plan.width === ROLLUP_WIDTHS.at(-1);
      if (!coarsest) expect(rows, label).toBeLessThanOrEqual(Math.max(1, Math.floor(maxRows)) + 2 * 7 * ROLLUP_WIDTHS.indexOf(plan.width));
    }
  });
});
