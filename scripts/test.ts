// `npm test`: every test tier, in order, against PGlite, or against PostgreSQL when
// TEST_DATABASE_URL is set. `npm test -- --only vitest,e2e` picks tiers; `--no-build` reuses .next.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { add, closingLine, countTier, JUNIT_DIR, type Counts } from "./test-counts";

/** A tier writes JUnit XML to test-results/junit/<name>*.xml, which the closing line counts. */
type Tier = { name: string; describe: string; run(): boolean };

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1]!.split(",") : null;
const build = !args.includes("--no-build");
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "embedded PGlite";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function sh(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  console.log(`\n$ ${command} ${commandArgs.join(" ")}`);
  return spawnSync(command, commandArgs, { stdio: "inherit", env }).status === 0;
}

const junit = (name: string) => [`--reporter=default`, `--reporter=junit`, `--outputFile.junit=${JUNIT_DIR}/${name}.xml`];

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
    run: () => sh("npx", ["vitest", "run", ...junit("vitest")]),
  },
  {
    name: "e2e",
    describe: "browser journeys in Chromium against `next start`",
    run() {
      if (!existsSync(chromium)) {
        console.error(`Chromium not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
        return false;
      }
      const env = { ...process.env, PLAYWRIGHT_JUNIT_OUTPUT_FILE: `${JUNIT_DIR}/e2e.xml` };
      return buildOnce() && sh("npx", ["playwright", "test", "--reporter=list,junit"], env);
    },
  },
  {
    name: "mlflow",
    describe: "the official MLflow Python client, 3.x and 2.x, against `next start` on local and S3 artifact stores",
    run: () => buildOnce() && sh("npx", ["tsx", "scripts/mlflow-tests.ts"]),
  },
  {
    name: "faults",
    describe: "crashes, races, retries, hostile input and security headers against `next start`",
    run: () => buildOnce() && sh("npx", ["vitest", "run", "--config", "tests/faults/vitest.config.ts", ...junit("faults")]),
  },
  {
    name: "fuzz",
    describe: "Schemathesis fuzzing of the MLflow REST API and the monitoring API from their OpenAPI descriptions",
    run: () => buildOnce() && sh("npx", ["tsx", "scripts/fuzz-tests.ts"]),
  },
  {
    name: "image",
    describe: "the Dockerfile's runtime stage, staged and run as a non-root user without a container engine",
    run: () => buildOnce() && sh("npx", ["vitest", "run", "--config", "tests/image/vitest.config.ts", ...junit("image")]),
  },
  {
    name: "deploy",
    describe: "Cairn's production build behind a real TLS proxy (Caddy) at its own host name",
    run: () => buildOnce() && sh("npx", ["tsx", "scripts/deploy-tests.ts"]),
  },
];

const selected = tiers.filter((t) => !only || only.includes(t.name));
console.log(`Cairn tests on ${database}: ${selected.map((t) => t.name).join(", ")}`);
rmSync(JUNIT_DIR, { recursive: true, force: true });
mkdirSync(JUNIT_DIR, { recursive: true });
const results = selected.map((tier) => {
  const started = Date.now();
  const ok = tier.run();
  const counts = countTier(tier.name);
  // A tier that failed without reporting a failed case (it crashed, or could not start) counts as one.
  if (!ok && counts.failed === 0) counts.failed = 1;
  return { tier, ok, counts, seconds: Math.round((Date.now() - started) / 1000) };
});

console.log(`\nSummary (${database}):`);
for (const r of results) {
  console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.tier.name.padEnd(8)} ${closingLine(r.counts).padEnd(30)} ${r.tier.describe} (${r.seconds}s)`);
}
const total = results.reduce<Counts>((sum, r) => add(sum, r.counts), { passed: 0, failed: 0, skipped: 0 });
// CI runs the suite once per database and sums these files into its own closing line.
writeFileSync(`test-results/counts-${process.env.TEST_DATABASE_URL ? "postgresql" : "pglite"}.json`, JSON.stringify(total));
console.log(closingLine(total));
process.exit(results.every((r) => r.ok) ? 0 : 1);
