import { describe, expect, it } from "vitest";
import { DomainError } from "../../server/errors";
import { assertArtifactKey, joinKey, normalizeArtifactPath } from "../../server/storage/artifact-path";

function rejection(raw: string): string {
  try {
    normalizeArtifactPath(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe("invalid");
    return (error as DomainError).message;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted as ${JSON.stringify(normalizeArtifactPath(raw))}`);
}

describe("normalizeArtifactPath", () => {
  it.each([
    ["model.pkl", "model.pkl"],
    ["model/MLmodel", "model/MLmodel"],
    ["model.v1.pkl", "model.v1.pkl"],
    ["a..b/c...", "a..b/c..."],
    [".hidden", ".hidden"],
    ["dir/.env", "dir/.env"],
    ["...", "..."],
    ["plots/loss curve.png", "plots/loss curve.png"],
    ["données/モデル/😀.txt", "données/モデル/😀.txt"],
    ["e\u0301t\u0065\u0301.txt", "été.txt"],
    ["a+b=c,d;e@f~g!h'i(j)k[l]m{n}o$p&q", "a+b=c,d;e@f~g!h'i(j)k[l]m{n}o$p&q"],
    ["100%.txt", "100%.txt"],
    ["50%-off/acc 99%.png", "50%-off/acc 99%.png"],
    ["a//b///c", "a/b/c"],
    ["dir/", "dir"],
    ["dir//", "dir"],
    ["", ""],
    ["C/d:e", "C/d:e"],
  ])("keeps %j as %j", (raw, key) => {
    expect(normalizeArtifactPath(raw)).toBe(key);
  });

  it.each([
    ["..", '".." segment'],
    ["../secrets", '".." segment'],
    ["a/../../etc/passwd", '".." segment'],
    ["a/..", '".." segment'],
    ["./a", '"." segment'],
    ["a/./b", '"." segment'],
    // Paths arrive decoded once by the transport; what still looks encoded would decode into a
    // traversal somewhere else, so it is refused too.
    ["%2e%2e/x", "still percent-encoded"],
    ["%2E%2E%2Fx", "still percent-encoded"],
    [".%2e/x", "still percent-encoded"],
    ["..%2fx", "still percent-encoded"],
    ["a/..%2F..%2Fetc", "still percent-encoded"],
    ["..%5cx", "still percent-encoded"],
    ["%252e%252e/x", "still percent-encoded"],
    ["a%2Fb", "still percent-encoded"],
    ["/etc/passwd", "must be relative"],
    ["//server/share", "must be relative"],
    ["/", "must be relative"],
    ["a\\b", "backslash"],
    ["..\\..\\windows", "backslash"],
    ["C:/Windows/system32", "Windows drive"],
    ["c:file", "Windows drive"],
    ["a\0b", "NUL byte"],
    ["model.pkl\0.txt", "NUL byte"],
    ["a\nb", "control character"],
    ["a\rb", "control character"],
    ["a\u007fb", "control character"],
    ["%C0%AE%C0%AE/x", "still percent-encoded"],
    ["x".repeat(256), "longer than 255 bytes"],
    [`${"é".repeat(128)}`, "longer than 255 bytes"],
    [Array.from({ length: 6 }, () => "d".repeat(200)).join("/"), "longer than 1024 bytes"],
  ])("rejects %j (%s)", (raw, reason) => {
    const message = rejection(raw);
    expect(message).toMatch(/^Invalid artifact path /);
    expect(message).toContain(reason);
  });

  it("shows the path it refused, escaped and shortened", () => {
    expect(rejection("../x\n")).toBe('Invalid artifact path "../x\\n": it contains a control character');
    expect(rejection(`../${"a".repeat(300)}`)).toMatch(/^Invalid artifact path "\.\.\/a{117}…": /);
  });

  it("never decodes: a name with a literal % is kept as it is", () => {
    expect(normalizeArtifactPath("plots/50%.png")).toBe("plots/50%.png");
    expect(normalizeArtifactPath(normalizeArtifactPath("a b/50%.png"))).toBe("a b/50%.png");
  });
});

describe("assertArtifactKey", () => {
  it("accepts normalised keys and the root only when allowed", () => {
    expect(() => assertArtifactKey("a/b.txt")).not.toThrow();
    expect(() => assertArtifactKey("", { allowRoot: true })).not.toThrow();
    expect(() => assertArtifactKey("")).toThrow("An artifact path is required");
  });

  it.each(["../a", "a/../b", "/a", "a//b", "a/", "a\\b", "a\0b", "./a"])("rejects %j", (key) => {
    expect(() => assertArtifactKey(key)).toThrow(DomainError);
  });

  it("never decodes: a literal %2e%2e is a name, not a traversal", () => {
    expect(() => assertArtifactKey("%2e%2e/a")).not.toThrow();
  });
});

describe("joinKey", () => {
  it("joins parts with single slashes and skips empty ones", () => {
    expect(joinKey("prefix/", "", "/experiments/1/", "run/artifacts", "model.pkl")).toBe("prefix/experiments/1/run/artifacts/model.pkl");
    expect(joinKey("", "a")).toBe("a");
    expect(joinKey()).toBe("");
  });
});
