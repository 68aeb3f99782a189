import { describe, expect, it } from "vitest";
import { firstParam, listHref } from "@/components/ui/list-query";

describe("firstParam", () => {
  it("takes the first of repeated values, trimmed", () => {
    expect(firstParam(["  churn ", "fraud"])).toBe("churn");
    expect(firstParam(" open ")).toBe("open");
  });

  it("reads a missing or blank value as unset", () => {
    expect(firstParam(undefined)).toBeUndefined();
    expect(firstParam("   ")).toBeUndefined();
    expect(firstParam([])).toBeUndefined();
  });
});

describe("listHref", () => {
  it("leaves out unset values and the defaults, so the default view is the bare path", () => {
    expect(listHref("/p/demo/alerts", { status: "open", model: undefined, kind: "" }, { status: "open" })).toBe("/p/demo/alerts");
  });

  it("keeps what differs from the defaults, in the given order and encoded", () => {
    expect(listHref("/p/demo/alerts", { status: "resolved", model: "churn v2", page: "3" }, { status: "open" })).toBe(
      "/p/demo/alerts?status=resolved&model=churn+v2&page=3",
    );
  });

  it("treats a value like a default only under the default's own key", () => {
    expect(listHref("/p/demo/promotions", { state: "all", model: "open" }, { state: "open" })).toBe("/p/demo/promotions?state=all&model=open");
  });
});
