import { describe, expect, it } from "vitest";
import { gateText } from "@/components/promotions/gate-text";
import type { Gate } from "@/server/db/schema";
import { evaluateGates, type Evidence } from "@/server/services/promotions/gates";

const candidate: Evidence = {
  version: 3,
  runStatus: "FINISHED",
  metrics: { val_accuracy: 0.93, val_mae: 1.5 },
  runTags: {},
  versionTags: {},
  cardFilled: ["intendedUse", "owners"],
};
const holder = (production: Evidence["production"]): Evidence => ({ ...candidate, version: 2, metrics: {}, cardFilled: [], production });
const since = new Date("2026-11-20T00:00:00Z");
const judge = (gate: Gate, h: Evidence | null = null) => evaluateGates([gate], candidate, h)[0]!;

describe("the card_complete gate", () => {
  it("passes when every named section is written, and names the missing ones when not", () => {
    expect(judge({ type: "card_complete", fields: ["owners", "intendedUse"] })).toMatchObject({
      passed: true,
      actual: "2 of 2 sections",
      expected: "card: owners, intended use",
    });
    expect(judge({ type: "card_complete", fields: ["owners", "limitations"] })).toMatchObject({
      passed: false,
      actual: "1 of 2 sections",
      message: "The card leaves limitations empty",
    });
  });

  it("asks for every section when it names none", () => {
    const result = judge({ type: "card_complete", fields: [] });
    expect(result).toMatchObject({ passed: false, actual: "2 of 7 sections", expected: "a complete card" });
    expect(result.message).toBe("The card leaves out-of-scope uses, training data, evaluation, limitations, ethical considerations empty");
    expect(gateText({ type: "card_complete", fields: [] })).toBe("complete card");
    expect(gateText({ type: "card_complete", fields: ["owners", "trainingData"] })).toBe("card has owners, training data");
  });
});

describe("the beats_production gate", () => {
  const gate = { type: "beats_production", metric: "val_accuracy", margin: 0, passWithoutEvidence: false } as const;

  it("passes when the candidate's validation accuracy is above the holder's production accuracy, showing both", () => {
    const result = judge(gate, holder({ metric: "accuracy", value: 0.88, labelled: 400, since }));
    expect(result).toMatchObject({ passed: true, actual: "0.93" });
    expect(result.expected).toBe("val_accuracy better than accuracy 0.88 in production (version 2)");
    expect(result.message).toBe("val_accuracy is 0.93 against accuracy 0.88 for version 2 over 400 labelled records");
  });

  it("needs the candidate better by more than the margin, in the metric's direction", () => {
    expect(judge({ ...gate, margin: 0.05 }, holder({ metric: "accuracy", value: 0.88, labelled: 400, since })).passed).toBe(false);
    expect(judge({ ...gate, margin: 0.04 }, holder({ metric: "accuracy", value: 0.88, labelled: 400, since })).passed).toBe(true);
    // Errors: lower is better.
    const mae = { ...gate, metric: "val_mae" };
    expect(judge(mae, holder({ metric: "mae", value: 2.0, labelled: 50, since })).passed).toBe(true);
    expect(judge(mae, holder({ metric: "mae", value: 1.2, labelled: 50, since })).passed).toBe(false);
    expect(judge({ ...mae, margin: 0.5 }, holder({ metric: "mae", value: 2.0, labelled: 50, since })).passed).toBe(false);
  });

  it("fails when the candidate's run has no such metric", () => {
    expect(judge({ ...gate, metric: "val_auc" }, holder({ metric: "accuracy", value: 0.5, labelled: 1, since }))).toMatchObject({
      passed: false,
      actual: null,
      message: "The source run has no metric val_auc",
    });
  });

  it("without a holder or labelled production records, passes or fails as the gate says", () => {
    expect(judge(gate)).toMatchObject({ passed: false, message: "Nothing holds the target to compare with" });
    expect(judge({ ...gate, passWithoutEvidence: true })).toMatchObject({ passed: true, message: "Nothing holds the target: nothing to beat" });
    expect(judge(gate, holder({ metric: "accuracy", value: null, labelled: 0, since }))).toMatchObject({
      passed: false,
      message: "Version 2 has no labelled production records yet to compare with",
    });
    expect(judge({ ...gate, passWithoutEvidence: true }, holder(null)).passed).toBe(true);
    expect(gateText(gate)).toBe("val_accuracy beats the holder in production (production evidence required)");
    expect(gateText({ ...gate, margin: 0.02, passWithoutEvidence: true })).toBe("val_accuracy beats the holder in production by more than 0.02");
  });
});
