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

  it("covers every step of the range exactly once, in at most maxBuckets aligned buckets", () => {
    const seed = Date.now() % 1_000_000;
    const rand = random(seed);
    for (let k = 0; k < 2000; k++) {
      const maxBuckets = 10 + Math.floor(rand() * 5000);
      const lo = Math.floor((rand() - 0.5) * 2 ** 40);
      const hi = lo + Math.floor(rand() * 2 ** Math.floor(rand() * 36));
      const plan = rollupPlan(lo, hi, maxBuckets);
      const label = `seed ${seed}: ${lo}..${hi} in ${maxBuckets}`;
      if (!plan) {
        expect(Math.ceil((hi - lo + 1) / maxBuckets), label).toBeLessThan(ROLLUP_WIDTHS[0]);
        continue;
      }
      const w = BigInt(plan.width);
      const [low, high] = [BigInt(lo), BigInt(hi)];
      // Chart buckets: from the rollup bucket of lo to that of hi, m rollup buckets each.
      const chartBuckets = ((high >> BigInt(plan.shift)) - plan.base) / plan.m + 1n;
      expect(chartBuckets <= BigInt(maxBuckets), label).toBe(true);
      expect(plan.width <= Math.ceil((hi - lo + 1) / maxBuckets), label).toBe(true);
      expect(plan.base, label).toBe(low >> BigInt(plan.shift));
      // The whole rollup buckets and the two raw edges tile lo..hi without overlap.
      const { first, last } = plan.full;
      expect(first * w >= low && (last + 1n) * w - 1n <= high, label).toBe(true);
      const [a, b] = plan.edges;
      expect([a!.lo, a!.hi + 1n, b!.lo, b!.hi], label).toEqual([low, first * w, (last + 1n) * w, high]);
      expect(a!.hi - a!.lo + 1n < w && b!.hi - b!.lo + 1n < w, label).toBe(true);
    }
  });
});
