import { describe, expect, it } from "vitest";
import { defaultColumns, type DefaultColumnSources } from "../../server/services/tracking/run-columns";

const ATTRIBUTES = ["attributes.status", "attributes.start_time", "attributes.duration", "attributes.user_id"];
const none: DefaultColumnSources = { acrossExperiments: false, primaryMetric: null, mentioned: [], recentMetrics: [], varyingParams: [] };
const keys = (sources: Partial<DefaultColumnSources>) => defaultColumns({ ...none, ...sources }).filter((id) => !id.startsWith("attributes."));

describe("default columns of the runs table", () => {
  it("start with the attributes, the experiment first across experiments", () => {
    expect(defaultColumns(none)).toEqual(ATTRIBUTES);
    expect(defaultColumns({ ...none, acrossExperiments: true })).toEqual(["attributes.experiment_id", ...ATTRIBUTES]);
  });

  it("put the primary metric first, then what the filter and sort name, then recent metrics, then varying params", () => {
    expect(
      keys({
        primaryMetric: "val/auc",
        mentioned: ["metrics.f1", "params.optimizer"],
        recentMetrics: ["loss", "val/auc", "acc", "epoch", "lr"],
        varyingParams: ["lr", "depth", "seed", "batch"],
      }),
    ).toEqual([
      "metrics.val/auc",
      "metrics.f1",
      "params.optimizer",
      "metrics.loss",
      "metrics.acc",
      "metrics.epoch",
      "params.lr",
      "params.depth",
      "params.seed",
    ]);
  });

  it("keep a mentioned key where it is when it is a default anyway, so sorting by a column does not move it", () => {
    expect(keys({ mentioned: ["metrics.acc"], recentMetrics: ["loss", "acc"] })).toEqual(["metrics.loss", "metrics.acc"]);
  });

  it("take the most recently logged metrics in that order, not alphabetically", () => {
    expect(keys({ recentMetrics: ["zeta", "alpha", "mid", "beta"] })).toEqual(["metrics.zeta", "metrics.alpha", "metrics.mid"]);
  });

  it("skip system metrics unless there is no other metric", () => {
    expect(keys({ recentMetrics: ["system/cpu", "system/memory", "loss"] })).toEqual(["metrics.loss"]);
    expect(keys({ primaryMetric: "auc", recentMetrics: ["system/cpu"] })).toEqual(["metrics.auc"]);
    expect(keys({ recentMetrics: ["system/cpu", "system/memory"] })).toEqual(["metrics.system/cpu", "metrics.system/memory"]);
  });
});
