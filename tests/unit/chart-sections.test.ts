import { describe, expect, it } from "vitest";
import { ALL_OPEN_UP_TO, buildSections, isSectionOpen, sectionOf, togglePin, type ChartLayout, type MetricEntry } from "../../components/charts/chart-sections";

const metric = (key: string, count = 5, latest: number | null = 1): MetricEntry => ({ key, count, latest });
const none: ChartLayout = { pinned: [], sections: {} };

/** A wide run as the issue logs it: layer{i}/unit{j}/grad_norm, plus a few top-level keys and system metrics. */
function wideRun(layers: number, units: number): MetricEntry[] {
  const keys = ["loss", "accuracy", "system/cpu_utilization_percentage", "system/gpu_0_memory_usage_megabytes"];
  for (let i = 0; i < layers; i++) for (let j = 0; j < units; j++) keys.push(`layer${i}/unit${j}/grad_norm`);
  return keys.sort().map((k) => metric(k));
}

describe("chart sections", () => {
  it("groups keys by their first segment before / or ., top-level keys first and system metrics last", () => {
    expect(sectionOf("val/loss")).toBe("prefix:val");
    expect(sectionOf("eval.f1")).toBe("prefix:eval");
    expect(sectionOf("loss")).toBe("ungrouped");
    expect(sectionOf("system/cpu")).toBe("system");
    expect(sectionOf("/odd")).toBe("ungrouped");
    const sections = buildSections([metric("eval.f1"), metric("loss"), metric("system/cpu"), metric("train/loss"), metric("val/loss")], {
      pinned: [],
      needle: "",
    });
    expect(sections.map((s) => [s.title, s.charts.map((c) => c.key)])).toEqual([
      ["Metrics", ["loss"]],
      ["eval", ["eval.f1"]],
      ["train", ["train/loss"]],
      ["val", ["val/loss"]],
      ["System metrics", ["system/cpu"]],
    ]);
  });

  it("orders sections and charts as a person counts: layer2 before layer10", () => {
    const sections = buildSections([metric("layer10/a"), metric("layer2/unit10"), metric("layer2/unit9")], { pinned: [], needle: "" });
    expect(sections.map((s) => s.title)).toEqual(["layer2", "layer10"]);
    expect(sections[0]!.charts.map((c) => c.key)).toEqual(["layer2/unit9", "layer2/unit10"]);
  });

  it("shows single-point metrics as values, and leaves out metrics without points", () => {
    const [section] = buildSections([metric("training_score", 1, 0.97), metric("training_loss", 3), metric("empty", 0, null)], { pinned: [], needle: "" });
    expect(section!.values.map((v) => [v.key, v.latest])).toEqual([["training_score", 0.97]]);
    expect(section!.charts.map((c) => c.key)).toEqual(["training_loss"]);
    expect(section!.total).toBe(2);
  });

  it("puts pinned keys in a pinned section on top without taking them from their own", () => {
    const sections = buildSections([metric("loss"), metric("val/auc"), metric("val/loss")], { pinned: ["val/auc", "gone"], needle: "" });
    expect(sections[0]).toMatchObject({ id: "pinned", title: "Pinned", total: 1 });
    expect(sections[0]!.charts.map((c) => c.key)).toEqual(["val/auc"]);
    expect(sections.find((s) => s.id === "prefix:val")!.charts.map((c) => c.key)).toEqual(["val/auc", "val/loss"]);
  });

  it("narrows every section to the keys matching the search, case-insensitively, and hides the rest", () => {
    const run = wideRun(100, 100);
    const sections = buildSections(run, { pinned: [], needle: "LAYER42/unit7/" });
    expect(sections.map((s) => s.id)).toEqual(["prefix:layer42"]);
    expect(sections[0]!.charts.map((c) => c.key)).toEqual(["layer42/unit7/grad_norm"]);
    expect(sections[0]!.total).toBe(100);
  });

  it("groups 10,000 keys into a hundred sections and searches them in a few milliseconds", () => {
    const run = wideRun(100, 100);
    const started = performance.now();
    const sections = buildSections(run, { pinned: [], needle: "unit99" });
    const elapsed = performance.now() - started;
    expect(sections).toHaveLength(100);
    expect(elapsed).toBeLessThan(100);
  });

  it("opens everything for a small run, and for a wide run only pinned charts and one section (the primary metric's)", () => {
    const small = buildSections([metric("loss"), metric("val/loss"), metric("system/cpu")], { pinned: [], needle: "" });
    const context = (sections: ReturnType<typeof buildSections>, chartCount: number, primaryKey: string | null = null, layout = none) => ({
      layout,
      sections,
      chartCount,
      primaryKey,
      searching: false,
    });
    expect(small.every((s) => isSectionOpen(s, context(small, 3)))).toBe(true);

    const run = wideRun(100, 100);
    const wide = buildSections(run, { pinned: ["layer7/unit1/grad_norm"], needle: "" });
    const open = (primaryKey: string | null, layout = none) =>
      wide.filter((s) => isSectionOpen(s, context(wide, run.length, primaryKey, layout))).map((s) => s.id);
    expect(run.length).toBeGreaterThan(ALL_OPEN_UP_TO);
    expect(open(null)).toEqual(["pinned", "ungrouped"]);
    expect(open("layer3/unit0/grad_norm")).toEqual(["pinned", "prefix:layer3"]);
    // What the person opened or closed wins over the defaults.
    expect(open(null, { pinned: [], sections: { ungrouped: false, system: true } })).toEqual(["pinned", "system"]);
  });

  it("opens every matching section while searching", () => {
    const run = wideRun(10, 10);
    const found = buildSections(run, { pinned: [], needle: "unit3" });
    const closed = { pinned: [], sections: Object.fromEntries(found.map((s) => [s.id, false])) };
    expect(found.every((s) => isSectionOpen(s, { layout: closed, sections: found, chartCount: run.length, primaryKey: null, searching: true }))).toBe(true);
  });

  it("pins and unpins in the order pinned", () => {
    const once = togglePin(togglePin(none, "b"), "a");
    expect(once.pinned).toEqual(["b", "a"]);
    expect(togglePin(once, "b").pinned).toEqual(["a"]);
  });
});
