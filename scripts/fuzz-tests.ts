// The fuzz tier: Schemathesis generates requests from openapi/mlflow.yaml and
// openapi/monitoring.yaml (valid and invalid ones) against Cairn's production build. `npx tsx scripts/fuzz-tests.ts [-- <schemathesis run args>]`,
// e.g. `-- --seed 123 --max-examples 100`. Needs `npm run build` first.
//
// 1. Creates (or reuses) .cache/venv-fuzz from tests/fuzz/requirements.txt.
// 2. Checks that openapi/mlflow.yaml documents every endpoint of server/mlflow/endpoints.ts.
// 3. Starts Cairn on a free port on a fresh database, creates a user, a project and a token with
//    the operator CLI, and seeds an experiment, a run with an artifact, a registered model with a
//    version, an alias and a monitoring reference, and an MLflow 3 logged model, whose ids the hooks
//    hand to the fuzzer.
// 4. Runs Schemathesis with tests/fuzz/schemathesis.toml and tests/fuzz/hooks.py, once per API: no
//    5xx, statuses, content types and bodies as documented, and refused writes leave nothing behind.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ENDPOINTS } from "../server/mlflow/endpoints";
import { startCairn } from "../tests/e2e/support/cairn-server";
import { cli, ensureVenv, freePort, ROOT, seconds } from "../tests/support/harness";

const VENV = ".cache/venv-fuzz";
const REQUIREMENTS = "tests/fuzz/requirements.txt";
const SPEC = "openapi/mlflow.yaml";
/** Each API fuzzed, at its base under the project, with its own JUnit report (the tier counts both). */
const RUNS = [
  { spec: SPEC, base: "", report: "fuzz" },
  { spec: "openapi/monitoring.yaml", base: "/api/monitoring/v1", report: "fuzz-monitoring" },
];
const SLUG = "fuzz";
const RUN_TIMEOUT_MS = 10 * 60_000;

const args = process.argv.slice(2);
const separator = args.indexOf("--");
const schemathesisArgs = separator >= 0 ? args.slice(separator + 1) : [];

// 2. The description covers what the server serves

/** Method + path of every operation in the OpenAPI description (parsed by the venv's PyYAML). */
function documentedOperations(): Set<string> {
  const parsed = spawnSync(
    path.join(ROOT, VENV, "bin", "python"),
    ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path.join(ROOT, SPEC)],
    { encoding: "utf8" },
  );
  if (parsed.status !== 0) throw new Error(`${SPEC} is not valid YAML:\n${parsed.stderr}`);
  const spec = JSON.parse(parsed.stdout) as { paths: Record<string, Record<string, unknown>> };
  const operations = new Set<string>();
  for (const [route, item] of Object.entries(spec.paths)) {
    for (const method of Object.keys(item)) if (["get", "post", "put", "patch", "delete"].includes(method)) operations.add(`${method.toUpperCase()} ${route}`);
  }
  return operations;
}

function checkCoverage(): void {
  const documented = documentedOperations();
  const served = ENDPOINTS.map(
    (e) =>
      `${e.method} /api/2.0/mlflow/${e.path.replace(/:(\w+)/g, (_, name: string) => `{${name === "modelId" ? "model_id" : name}}`).replace("*key", "{tag_key}")}`,
  );
  const missing = served.filter((operation) => !documented.has(operation));
  if (missing.length) throw new Error(`${SPEC} does not document ${missing.length} endpoint(s) of server/mlflow/endpoints.ts:\n  ${missing.join("\n  ")}`);
  console.log(`${SPEC}: documents all ${served.length} MLflow endpoints (${documented.size} operations with the artifact proxy)`);
}

// 3. Cairn, an account and seeded data

type Seed = {
  experiment_id: string;
  experiment_name: string;
  check_experiment_id: string;
  run_id: string;
  artifact_root: string;
  model_name: string;
  version: string;
  logged_model_id: string;
};

async function seed(base: string, token: string): Promise<Seed> {
  const api = `${base}/p/${SLUG}/api/2.0`;
  const call = async (method: string, route: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${api}/${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`seeding: ${method} ${route} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const experimentName = "fuzz-seed";
  const experimentId = (await call("POST", "mlflow/experiments/create", { name: experimentName, tags: [{ key: "team", value: "fuzz" }] })).experiment_id;
  const checkExperimentId = (await call("POST", "mlflow/experiments/create", { name: "fuzz-write-checks" })).experiment_id;
  const run = (await call("POST", "mlflow/runs/create", { experiment_id: experimentId, run_name: "seed" })).run;
  const runId = run.info.run_id as string;
  await call("POST", "mlflow/runs/log-batch", {
    run_id: runId,
    metrics: [0, 1, 2].map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step })),
    params: [{ key: "lr", value: "0.1" }],
    tags: [{ key: "team", value: "fuzz" }],
  });
  const artifactRoot = String(run.info.artifact_uri).replace(/^mlflow-artifacts:\//, "");
  await call("PUT", `mlflow-artifacts/artifacts/${artifactRoot}/seed.txt`, "seed");
  const modelName = "fuzz-model";
  await call("POST", "mlflow/registered-models/create", { name: modelName });
  const version = (await call("POST", "mlflow/model-versions/create", { name: modelName, source: `runs:/${runId}/model`, run_id: runId })).model_version
    .version;
  await call("POST", "mlflow/registered-models/alias", { name: modelName, alias: "champion", version });
  // A reference, so that fuzzed records for the seeded version are binned as production traffic is.
  const reference = await fetch(`${base}/p/${SLUG}/api/monitoring/v1/reference`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: modelName,
      version: Number(version),
      rows: { columns: ["age", "city", "prediction"], data: Array.from({ length: 50 }, (_, i) => [20 + i, i % 3 ? "Oslo" : "Lima", i % 2]) },
    }),
  });
  if (!reference.ok) throw new Error(`seeding: PUT monitoring/v1/reference answered ${reference.status}: ${await reference.text()}`);
  const loggedModelId = (await call("POST", "mlflow/logged-models", { experiment_id: experimentId, name: "seed-model", source_run_id: runId })).model.info
    .model_id;
  return {
    experiment_id: experimentId,
    experiment_name: experimentName,
    check_experiment_id: checkExperimentId,
    run_id: runId,
    artifact_root: artifactRoot,
    model_name: modelName,
    version: String(version),
    logged_model_id: loggedModelId,
  };
}

// 4. Schemathesis

function runSchemathesis(base: string, token: string, seeded: Seed, run: (typeof RUNS)[number]): Promise<boolean> {
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const commandArgs = [
    "--config-file",
    "tests/fuzz/schemathesis.toml",
    "run",
    run.spec,
    "--url",
    `${base}/p/${SLUG}${run.base}`,
    "--header",
    `Authorization: Bearer ${token}`,
    "--report",
    "junit",
    "--report-junit-path",
    `test-results/junit/${run.report}.xml`,
    "--no-color",
    ...schemathesisArgs,
  ];
  console.log(`\n$ ${VENV}/bin/schemathesis ${commandArgs.join(" ").replace(token, "<token>")}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCHEMATHESIS_HOOKS: path.join(ROOT, "tests/fuzz/hooks.py"),
    CAIRN_FUZZ_URL: `${base}/p/${SLUG}`,
    CAIRN_FUZZ_TOKEN: token,
    CAIRN_FUZZ_SEED: JSON.stringify(seeded),
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
  };
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, VENV, "bin", "schemathesis"), commandArgs, { cwd: ROOT, env, stdio: "inherit" });
    const timer = setTimeout(() => {
      console.error(`schemathesis still running after ${RUN_TIMEOUT_MS / 60_000} min: stopping it`);
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  await ensureVenv(VENV, REQUIREMENTS);
  checkCoverage();

  const port = await freePort();
  const started = Date.now();
  const cairn = await startCairn({ port, env: {} });
  const base = cairn.base;
  process.once("SIGINT", () => void cairn.stop().then(() => process.exit(130)));
  try {
    const email = "owner@fuzz-tests.example";
    await cli(cairn, ["users", "create", "--email", email, "--password", "fuzz-tests-password"]);
    await cli(cairn, ["projects", "create", "--slug", SLUG, "--name", "Fuzz tests", "--owner", email]);
    const token = await cli(cairn, ["tokens", "create", "--email", email, "--name", "fuzz"]);
    const seeded = await seed(base, token);
    console.log(`Cairn up at ${base} with seeded data in ${seconds(started)} (server log: test-results/cairn-${port}.log)`);
    const fuzzing = Date.now();
    let ok = true;
    for (const run of RUNS) ok = (await runSchemathesis(base, token, seeded, run)) && ok;
    console.log(`\nFuzz tests: ${ok ? "pass" : "FAIL"} (${seconds(fuzzing)})`);
    return ok ? 0 : 1;
  } finally {
    await cairn.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
