import { describe, expect, it } from "vitest";
import {
  asNumber,
  axisOf,
  axisValue,
  bestIndexes,
  columnOfId,
  columnValues,
  compareHref,
  defaultChartKeys,
  escapeHtml,
  formatNumber,
  goalOf,
  MISSING,
  nextGoal,
  onlyDifferencesByDefault,
  parseRunIds,
  valuesDiffer,
} from "../../components/compare/compare-data";
import type { CompareRun } from "../../server/services/tracking/compare";

const A = "a".repeat(32);
const B = "b".repeat(32);

describe("parseRunIds", () => {
  it("splits on commas, trims, drops blanks and repeats, keeps the order", () => {
    expect(parseRunIds(` ${B},${A},,${B} `)).toEqual([B, A]);
    expect(parseRunIds([A, `${B},${A}`])).toEqual([A, B]);
    expect(parseRunIds(undefined)).toEqual([]);
    expect(parseRunIds("")).toEqual([]);
  });

  it("takes another spelling of the same id (dashes, capitals) as a repeat", () => {
    const dashed = `${A.slice(0, 8)}-${A.slice(8, 12)}-${A.slice(12, 16)}-${A.slice(16, 20)}-${A.slice(20)}`;
    expect(parseRunIds(`${A},${dashed.toUpperCase()},${B}`)).toEqual([A, B]);
  });

  it("round-trips through compareHref", () => {
    expect(compareHref("demo", [A, B])).toBe(`/p/demo/compare?runs=${A},${B}`);
    expect(parseRunIds(new URL(`http://x${compareHref("demo", [A, B])}`).searchParams.get("runs")!)).toEqual([A, B]);
  });
});

describe("only differences", () => {
  it("marks a key as differing when any run disagrees, or lacks it", () => {
    expect(valuesDiffer(["0.1", "0.1", "0.1"])).toBe(false);
    expect(valuesDiffer(["0.1", "0.01"])).toBe(true);
    expect(valuesDiffer(["0.1", undefined])).toBe(true);
    expect(valuesDiffer([undefined, undefined])).toBe(false);
    expect(valuesDiffer(["1", "1.0"])).toBe(true); // params are text, as logged
  });

  it("starts on only when there are many keys", () => {
    expect(onlyDifferencesByDefault(3)).toBe(false);
    expect(onlyDifferencesByDefault(8)).toBe(false);
    expect(onlyDifferencesByDefault(9)).toBe(true);
  });
});

describe("best values", () => {
  it("guesses whether lower is better from the key, and the primary metric's goal wins", () => {
    for (const key of ["loss", "val/loss", "train_error", "rmse", "mae", "latency_ms", "epoch_time", "perplexity", "wer"]) expect(goalOf(key), key).toBe("min");
    for (const key of ["accuracy", "val/auc", "f1", "precision", "recall", "reward", "throughput"]) expect(goalOf(key), key).toBe("max");
    expect(goalOf("val/auc", { key: "val/auc", goal: "min" })).toBe("min");
    expect(goalOf("loss", { key: "other", goal: "max" })).toBe("min");
  });

  it("gives system metrics no better side, and cycles the toggle through min, max and none", () => {
    expect(goalOf("system/cpu_utilization")).toBeNull();
    expect(goalOf("system/gpu_memory_mb", { key: "system/gpu_memory_mb", goal: "min" })).toBe("min");
    expect([nextGoal("min"), nextGoal("max"), nextGoal(null)]).toEqual(["max", null, "min"]);
    expect(bestIndexes([1, 2], null).size).toBe(0);
  });

  it("picks the lowest or highest finite value, every one of a tie", () => {
    expect([...bestIndexes([0.3, 0.1, 0.2], "min")]).toEqual([1]);
    expect([...bestIndexes([0.3, 0.1, 0.2], "max")]).toEqual([0]);
    expect([...bestIndexes([0.1, 0.3, 0.1], "min")]).toEqual([0, 2]);
    expect([...bestIndexes([Number.NaN, 0.5, undefined, 0.7, Number.POSITIVE_INFINITY], "max")]).toEqual([3]);
  });

  it("names no winner when fewer than two runs have a value or all agree", () => {
    expect(bestIndexes([0.5, undefined, Number.NaN], "max").size).toBe(0);
    expect(bestIndexes([0.5, 0.5], "max").size).toBe(0);
    expect(bestIndexes([], "min").size).toBe(0);
  });
});

describe("defaultChartKeys", () => {
  it("prefers the primary metric, then keys every run logged, with system metrics last", () => {
    const keys = [
      { key: "acc", runCount: 1 },
      { key: "loss", runCount: 3 },
      { key: "system/cpu", runCount: 3 },
      { key: "val/auc", runCount: 3 },
      { key: "zeta", runCount: 2 },
    ];
    expect(defaultChartKeys(keys, 3)).toEqual(["loss", "val/auc", "system/cpu", "zeta"]);
    expect(defaultChartKeys(keys, 3, "acc", 2)).toEqual(["acc", "loss"]);
    expect(defaultChartKeys([], 3)).toEqual([]);
  });
});

const run = (name: string, params: Record<string, string>, metrics: Record<string, number>): CompareRun => ({
  runId: name.padEnd(32, "0"),
  runName: name,
  experimentId: "0",
  experimentName: "Default",
  status: "FINISHED",
  startTime: 0,
  endTime: null,
  userId: "",
  lifecycleStage: "active",
  params: Object.entries(params).map(([key, value]) => ({ key, value })),
  metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, min: value, max: value, count: 1 })),
  tags: [],
});

describe("columns and axes", () => {
  const runs = [
    run("r1", { lr: "0.1", opt: "adam", depth: "10" }, { auc: 0.9 }),
    run("r2", { lr: "1e-3", opt: "sgd", depth: "2" }, {}),
    run("r3", { opt: "adam", depth: "None" }, { auc: 0.7 }),
  ];

  it("reads a column's values per run", () => {
    expect(columnOfId("params.lr")).toEqual({ kind: "param", key: "lr" });
    expect(columnOfId("metrics.val/auc")).toEqual({ kind: "metric", key: "val/auc" });
    expect(columnOfId("tags.x")).toBeNull();
    expect(columnValues(runs, { kind: "param", key: "lr" })).toEqual(["0.1", "1e-3", undefined]);
    expect(columnValues(runs, { kind: "metric", key: "auc" })).toEqual([0.9, undefined, 0.7]);
  });

  it("takes only whole numbers as numeric", () => {
    expect(asNumber("0.1")).toBe(0.1);
    expect(asNumber(" -2e-3 ")).toBe(-0.002);
    expect(asNumber(".5")).toBe(0.5);
    expect(asNumber("10px")).toBeNull();
    expect(asNumber("0x10")).toBeNull();
    expect(asNumber("")).toBeNull();
    expect(asNumber("Infinity")).toBeNull();
    expect(asNumber(Number.NaN)).toBeNull();
    expect(asNumber(undefined)).toBeNull();
  });

  it("types a numeric column as a value axis, missing values aside", () => {
    expect(axisOf(columnValues(runs, { kind: "param", key: "lr" }))).toEqual({ type: "value", min: 0.001, max: 0.1, positive: true });
    expect(axisOf([0.9, undefined, -0.7])).toEqual({ type: "value", min: -0.7, max: 0.9, positive: false });
  });

  it("types anything else as categories in natural order, the missing one last", () => {
    expect(axisOf(columnValues(runs, { kind: "param", key: "opt" }))).toEqual({ type: "category", categories: ["adam", "sgd"] });
    expect(axisOf(columnValues(runs, { kind: "param", key: "depth" }))).toEqual({ type: "category", categories: ["2", "10", "None"] });
    expect(axisOf(["b", undefined, "a"])).toEqual({ type: "category", categories: ["a", "b", MISSING] });
    expect(axisOf([undefined, undefined])).toEqual({ type: "category", categories: [MISSING] });
  });

  it("places values on their axis, or nowhere when a number is missing", () => {
    const numeric = axisOf(["1", "2"]);
    expect(axisValue(numeric, "2")).toBe(2);
    expect(axisValue(numeric, undefined)).toBeNull();
    const categories = axisOf(["x", undefined]);
    expect(axisValue(categories, undefined)).toBe(MISSING);
    expect(axisValue(categories, "x")).toBe("x");
  });
});

describe("formatting", () => {
  it("shows numbers compactly but exactly enough to tell runs apart", () => {
    expect(formatNumber(3)).toBe("3");
    expect(formatNumber(0.812345678)).toBe("0.812346");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(1.5e-7)).toBe("1.5e-7");
    expect(formatNumber(2.5e12)).toBe("2500000000000");
    expect(formatNumber(2.5e12 + 0.25)).toBe("2.5e+12");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("escapes run names for HTML tooltips", () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe("&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
  });
});
