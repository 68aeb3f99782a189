// `npm test`: every test tier, in order, against PGlite, or against PostgreSQL when
// TEST_DATABASE_URL is set. `npm test -- --only vitest,e2e` picks tiers; `--no-build` reuses .next.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

type Tier = { name: string; describe: string; run(): boolean };

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1]!.split(",") : null;
const build = !args.includes("--no-build");
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "embedded PGlite";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function sh(command: string, commandArgs: string[]): boolean {
  console.log(`\n$ ${command} ${commandArgs.join(" ")}`);
  return spawnSync(command, commandArgs, { stdio: "inherit", env: process.env }).status === 0;
}

let built = !build;
/** The tiers after vitest run against the production build: make it once, on first need. */
function buildOnce(): boolean {
  built ||= sh("npx", ["next", "build"]);
  return built;
}

const tiers: Tier[] = [
  {
    name: "vitest",
    describe: "unit and integration tests",
    run: () => sh("npx", ["vitest", "run"]),
  },
  {
    name: "e2e",
    describe: "browser journeys in Chromium against `next start`",
    run() {
      if (!existsSync(chromium)) {
        console.error(`Chromium not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
        return false;
      }
      return buildOnce() && sh("npx", ["playwright", "test"]);
    },
  },
  {
    name: "mlflow",
    describe: "the official MLflow Python client, 3.x and 2.x, against `next start`",
    run: () => buildOnce() && sh("npx", ["tsx", "scripts/mlflow-tests.ts"]),
  },
  {
    name: "faults",
    describe: "crashes, races, retries, hostile input and security headers against `next start`",
    run: () => buildOnce() && sh("npx", ["vitest", "run", "--config", "tests/faults/vitest.config.ts"]),
  },
  {
    name: "fuzz",
    describe: "Schemathesis fuzzing of the MLflow REST API from openapi/mlflow.yaml",
    run: () => buildOnce() && sh("npx", ["tsx", "scripts/fuzz-tests.ts"]),
  },
];

const selected = tiers.filter((t) => !only || only.includes(t.name));
console.log(`Cairn tests on ${database}: ${selected.map((t) => t.name).join(", ")}`);
const results = selected.map((tier) => {
  const started = Date.now();
  const ok = tier.run();
  return { tier, ok, seconds: Math.round((Date.now() - started) / 1000) };
});

console.log(`\nSummary (${database}):`);
for (const r of results) console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.tier.name.padEnd(8)} ${r.tier.describe} (${r.seconds}s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
