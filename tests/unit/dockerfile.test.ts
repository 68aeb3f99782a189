import { describe, expect, it } from "vitest";
import { dockerignoreMatcher, parseDockerfile } from "../image/dockerfile";

describe("parseDockerfile (the image tier's subset)", () => {
  it("reads stages, joined continuation lines and the exec forms", () => {
    const stages = parseDockerfile(
      [
        "# comment",
        "FROM node:20-slim AS builder",
        "RUN npm install \\",
        "  # a comment inside a continuation",
        "  --no-audit",
        "FROM node:20-slim",
        "ENV A=1 B=/data",
        "COPY --from=builder /app/x /app/y ./",
        'HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "1"]',
        'CMD ["node", "main.js"]',
      ].join("\n"),
    );
    expect(stages.map((s) => s.name)).toEqual(["builder", "node:20-slim"]);
    expect(stages[0]!.instructions[1]).toMatchObject({ kind: "RUN", command: "npm install  --no-audit", line: 3 });
    expect(stages[1]!.instructions.slice(1)).toMatchObject([
      { kind: "ENV", values: { A: "1", B: "/data" } },
      { kind: "COPY", from: "builder", sources: ["/app/x", "/app/y"], dest: "./" },
      { kind: "HEALTHCHECK", options: { interval: "30s", timeout: "5s" }, command: ["node", "-e", "1"] },
      { kind: "CMD", command: ["node", "main.js"] },
    ]);
  });

  it("refuses what it would otherwise skip or misread, by line", () => {
    expect(() => parseDockerfile("FROM node:20\nARG X=1")).toThrow(/line 2: ARG is not supported/);
    expect(() => parseDockerfile("FROM node:20\nCMD node main.js")).toThrow(/line 2: CMD needs the exec form/);
    expect(() => parseDockerfile("FROM node:20\nCOPY --chown=node a b")).toThrow(/line 2: COPY takes no option but --from/);
    expect(() => parseDockerfile('FROM node:20\nENV A="x y"')).toThrow(/line 2: ENV with quotes/);
    expect(() => parseDockerfile("RUN true")).toThrow(/line 1: RUN before FROM/);
  });
});

describe("dockerignoreMatcher", () => {
  const ignored = dockerignoreMatcher(["# comment", "node_modules", "*.tsbuildinfo", "**/__pycache__", ".env.*", "docs", "!docs/keep.md"].join("\n"));

  it("excludes a folder with everything in it", () => {
    expect(ignored("node_modules")).toBe(true);
    expect(ignored("node_modules/next/package.json")).toBe(true);
    expect(ignored("app/node_modules_notes.md")).toBe(false);
  });

  it("anchors patterns at the context root; ** spans folders", () => {
    expect(ignored("tsconfig.tsbuildinfo")).toBe(true);
    expect(ignored("sub/tsconfig.tsbuildinfo")).toBe(false);
    expect(ignored("tests/mlflow/__pycache__/conftest.pyc")).toBe(true);
    expect(ignored("__pycache__")).toBe(true);
    expect(ignored(".env.local")).toBe(true);
    expect(ignored(".env")).toBe(false);
  });

  it("lets a later ! pattern bring a path back", () => {
    expect(ignored("docs/SCALING.md")).toBe(true);
    expect(ignored("docs/keep.md")).toBe(false);
  });
});
