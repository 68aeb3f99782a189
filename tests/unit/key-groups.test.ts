import { describe, expect, it } from "vitest";
import { groupKeysByPrefix, keyPrefix, matchingKeys } from "../../components/runs-table/key-groups";

const keys = (...names: string[]) => names.map((key) => ({ key, runs: 1 }));

describe("column chooser key groups", () => {
  it("takes the prefix up to the first / or .", () => {
    expect(keyPrefix("train/loss")).toBe("train/");
    expect(keyPrefix("model.depth")).toBe("model.");
    expect(keyPrefix("val/auc/macro")).toBe("val/");
    expect(keyPrefix("loss")).toBeNull();
    expect(keyPrefix("/odd")).toBeNull();
    expect(keyPrefix("trailing/")).toBeNull();
  });

  it("groups keys sharing a prefix in the order of their first key, lone keys ungrouped first", () => {
    const groups = groupKeysByPrefix(keys("val/auc", "loss", "train/loss", "val/f1", "system/cpu", "train/acc", "model.depth"));
    expect(groups.map((g) => [g.prefix, g.keys.map((k) => k.key)])).toEqual([
      [null, ["loss", "system/cpu", "model.depth"]],
      ["val/", ["val/auc", "val/f1"]],
      ["train/", ["train/loss", "train/acc"]],
    ]);
    expect(groupKeysByPrefix([])).toEqual([]);
  });

  it("filters the loaded keys at once, case-insensitively", () => {
    expect(matchingKeys(keys("Train/Loss", "val/loss", "acc"), "loss").map((k) => k.key)).toEqual(["Train/Loss", "val/loss"]);
    expect(matchingKeys(keys("a", "b"), "")).toHaveLength(2);
  });
});
