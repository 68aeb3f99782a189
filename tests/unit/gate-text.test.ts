import { describe, expect, it } from "vitest";
import { judgedGateText } from "@/components/promotions/gate-text";
import { evaluateGates } from "@/server/services/promotions/gates";

const gate = { type: "metric_vs_holder", metric: "auc", comparison: "gte", passWithoutHolder: true } as const;
const candidate = { version: 2, runStatus: "FINISHED", metrics: { auc: 0.9 }, runTags: {}, versionTags: {}, cardFilled: [] };
const [withoutHolder] = evaluateGates([gate], candidate, null);
const [againstV1] = evaluateGates([gate], candidate, { ...candidate, version: 1, metrics: { auc: 0.8 } });

describe("a gate result worded for when it was judged", () => {
  it("reads as stored while the request is open", () => {
    expect(judgedGateText(withoutHolder!, { when: "now" })).toEqual({ message: "Nothing holds the target yet", expected: "auc ≥ the current holder's" });
  });

  it("says nothing held the target before an applied promotion, not that nothing holds it", () => {
    const text = judgedGateText(withoutHolder!, { when: "applied", target: "@champion", holderVersion: null });
    expect(text).toEqual({ message: "Nothing held @champion before this promotion", expected: "auc ≥ the holder's (there was none)" });
  });

  it("words a closed request's missing holder as of its closing, and a required holder as missing then", () => {
    const [required] = evaluateGates([{ ...gate, passWithoutHolder: false }], candidate, null);
    expect(judgedGateText(required!, { when: "closed", target: "Production", holderVersion: null }).message).toBe(
      "Nothing held Production to compare with when the request closed",
    );
  });

  it("keeps the values a closed request was judged on against its holder", () => {
    expect(judgedGateText(againstV1!, { when: "applied", target: "@champion", holderVersion: "1" })).toEqual({
      message: againstV1!.message,
      expected: againstV1!.expected,
    });
    expect(againstV1!.message).toBe("auc is 0.9 against 0.8 for version 1");
  });
});
