import { describe, expect, it } from "vitest";
import { closingLine, countJUnit } from "@/scripts/test-counts";

describe("test counts from JUnit XML", () => {
  it("counts passed, failed (failures and errors) and skipped cases across suites", () => {
    const xml = `<?xml version="1.0"?>
      <testsuites><testsuite name="a"><testcase name="1"/><testcase name="2"><failure message="x"/></testcase></testsuite>
      <testsuite name="b"><testcase name="3"><skipped/></testcase><testcase name="4"><error/></testcase><testcase name="5"></testcase></testsuite></testsuites>`;
    expect(countJUnit(xml)).toEqual({ passed: 2, failed: 2, skipped: 1 });
  });

  it("reads a single suite without a testsuites root (pytest)", () => {
    expect(countJUnit(`<testsuite><testcase name="only"/></testsuite>`)).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });

  it("writes the line CI reads, naming skipped cases only when there are some", () => {
    expect(closingLine({ passed: 10, failed: 0, skipped: 0 })).toBe("10 passed, 0 failed");
    expect(closingLine({ passed: 10, failed: 1, skipped: 2 })).toBe("10 passed, 1 failed, 2 skipped");
  });
});
