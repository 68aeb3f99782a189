import { describe, expect, it } from "vitest";
import { changedFields, compactValue, describeChange } from "@/components/audit/audit-diff";

const update = { created: false, deleted: false };
const lines = (before: unknown, after: unknown) => {
  const whole = { created: before == null, deleted: after == null };
  return changedFields(before, after).map((c) => describeChange(c, whole));
};

describe("the audit log's change column", () => {
  it("lists only the fields that changed, as key: old → new", () => {
    expect(lines({ email: "ada@example.com", role: "viewer" }, { email: "ada@example.com", role: "maintainer" })).toEqual(['role: "viewer" → "maintainer"']);
    expect(lines({ name: "Fraud", description: "" }, { name: "Fraud & churn", description: "Two models" })).toEqual([
      'name: "Fraud" → "Fraud & churn"',
      'description: "" → "Two models"',
    ]);
  });

  it("flattens nested objects to dotted keys, compares lists whole and ignores key order", () => {
    const before = { revision: 1, requiredApprovals: 1, gates: [{ type: "run_status", status: "FINISHED" }], limits: { max: 3, min: 1 } };
    const after = { limits: { min: 1, max: 5 }, revision: 2, requiredApprovals: 1, gates: [{ status: "FINISHED", type: "run_status" }] };
    expect(lines(before, after)).toEqual(["revision: 1 → 2", "limits.max: 3 → 5"]);
  });

  it("shows what was set on a creation, what was removed on a deletion, and one-sided fields with a dash", () => {
    expect(lines(null, { email: "new@example.com", isAdmin: false })).toEqual(['email: "new@example.com"', "isAdmin: false"]);
    expect(lines({ name: "old-model" }, null)).toEqual(['name: "old-model"']);
    expect(lines({ holder: 1 }, { number: 3, holder: 1 })).toEqual(["number: — → 3"]);
    expect(lines({ holder: null }, { holder: 2 })).toEqual(["holder: null → 2"]);
  });

  it("treats a value that is not an object as one unnamed field, and equal entries as no change", () => {
    expect(lines("draft", "final")).toEqual(['"draft" → "final"']);
    expect(lines([1, 2], [1, 2, 3])).toEqual(["[1,2] → [1,2,3]"]);
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual([]);
    expect(describeChange({ key: "a", after: 1 }, update)).toBe("a: — → 1");
  });

  it("cuts long values short", () => {
    expect(compactValue("x".repeat(100), 10)).toBe('"xxxxxxxx…');
    expect(compactValue({ deep: { list: [1, 2, 3] } }, 12)).toBe('{"deep":{"l…');
  });
});
