// Counts what the test tiers ran, from the JUnit XML each one writes under test-results/junit/:
// the closing line of `npm test` and of CI sums real test cases, not tiers.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";

export type Counts = { passed: number; failed: number; skipped: number };

export const JUNIT_DIR = "test-results/junit";

const parser = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === "testsuite" || name === "testcase" || name === "testsuites" });

type Node = Record<string, unknown>;

function* testCases(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const item of node) yield* testCases(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "testcase") yield* (value as unknown[]).map((c) => (c && typeof c === "object" ? (c as Node) : {}));
    else yield* testCases(value);
  }
}

/** The test cases of one JUnit file: failed holds failures and errors. */
export function countJUnit(xml: string): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const testCase of testCases(parser.parse(xml))) {
    if ("failure" in testCase || "error" in testCase) counts.failed++;
    else if ("skipped" in testCase) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

/** The sum over every JUnit file whose name starts with `prefix`. */
export function countTier(prefix: string): Counts {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (!existsSync(JUNIT_DIR)) return total;
  for (const file of readdirSync(JUNIT_DIR).filter((f) => f.startsWith(prefix) && f.endsWith(".xml"))) {
    add(total, countJUnit(readFileSync(path.join(JUNIT_DIR, file), "utf8")));
  }
  return total;
}

export function add(into: Counts, more: Counts): Counts {
  into.passed += more.passed;
  into.failed += more.failed;
  into.skipped += more.skipped;
  return into;
}

/** `N passed, N failed` with `, N skipped` when there are any: the line CI reads. */
export function closingLine(counts: Counts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`;
}

// `tsx scripts/test-counts.ts <counts.json>…`: the closing line of several `npm test` runs (CI runs
// one per database).
if (import.meta.url === `file://${process.argv[1]}`) {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of process.argv.slice(2)) add(total, JSON.parse(readFileSync(file, "utf8")) as Counts);
  console.log(closingLine(total));
}
