/**
 * Chart buckets computed the slow way from raw points, for the chart-series and rollup tests to
 * compare the database's answer with: the order of points on an axis, and the fold of grouped
 * points into the reply's columns.
 */
import type { ChartBuckets, ChartSeries } from "../../server/services/tracking/chart-series";

export type Point = { step: number; timestamp: number; value: number };

/** Doubles in the primary key's order: NaN above every number. */
const cmpDouble = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? Number(Number.isNaN(a)) - Number(Number.isNaN(b)) : a - b);

/** Points in x order, then the other axis, then value, as the chart code defines a bucket's last point. */
export const orderOn = (x: "step" | "timestamp") => {
  const other = x === "step" ? "timestamp" : "step";
  return (a: Point, b: Point) => a[x] - b[x] || a[other] - b[other] || cmpDouble(a.value, b.value);
};

/** Groups of points, keyed by bucket, folded into buckets in key order: x extent, min and max ignoring NaN, last point, count. */
export function foldBuckets<K extends number | bigint>(groups: Map<K, Point[]>, x: "step" | "timestamp"): ChartBuckets {
  const out: ChartBuckets = { x0: [], x1: [], min: [], max: [], last: [], lastStep: [], lastTimestamp: [], count: [] };
  for (const k of [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const group = groups.get(k)!.sort(orderOn(x));
    const finite = group.map((p) => p.value).filter((v) => !Number.isNaN(v));
    const last = group.at(-1)!;
    out.x0.push(group[0]![x]);
    out.x1.push(last[x]);
    out.min.push(finite.length ? Math.min(...finite) : null);
    out.max.push(finite.length ? Math.max(...finite) : null);
    out.last.push(last.value);
    out.lastStep.push(last.step);
    out.lastTimestamp.push(last.timestamp);
    out.count.push(group.length);
  }
  return out;
}

/** A series' buckets, failing when the reply holds exact points instead. */
export function asBuckets(series: ChartSeries | undefined): ChartBuckets {
  if (!series || series.exact) throw new Error("expected buckets");
  return series.points;
}
