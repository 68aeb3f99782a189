import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/server/http/return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/projects", "/projects"],
    ["/p/fraud/runs?status=FAILED#top", "/p/fraud/runs?status=FAILED#top"],
    ["/invite/abc", "/invite/abc"],
  ])("keeps the same-site path %s", (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "/\t/evil.example",
    "/\n/evil.example",
    "\\\\evil.example",
    "https://evil.example/x",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("refuses %j, which a browser would take off the site", (value) => {
    expect(safeReturnPath(value)).toBe("/projects");
  });

  it("falls back for what is not a string", () => {
    expect(safeReturnPath(undefined)).toBe("/projects");
    expect(safeReturnPath(["/a"], "/home")).toBe("/home");
  });
});
