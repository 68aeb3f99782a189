// The official MLflow Python client (newest 3.x and last 2.x) against Cairn's production build:
// `npx tsx scripts/mlflow-tests.ts [--client 3,2] [-- <pytest args>]`. Needs `npm run build` first.
//
// 1. Creates (or reuses) .cache/venv-mlflow3 and .cache/venv-mlflow2 from tests/mlflow/requirements-*.txt,
//    reinstalling one only when its requirements file (or the Python version) changed.
// 2. Starts Cairn on a free port on a fresh database, and creates through the operator CLI what the
//    tests need: a user with a project, read-write and read-only tokens, another user with their own
//    project and token, and a token revoked through the web session (the CLI cannot revoke).
// 3. Runs pytest tests/mlflow once per client version, then stops Cairn. Exits non-zero on any failure.
import { spawn } from "node:child_process";
import path from "node:path";
import { startCairn, type RunningCairn } from "../tests/e2e/support/cairn-server";
import { cli, ensureVenv, freePort, ROOT, seconds, signIn } from "../tests/support/harness";

type Client = { major: "3" | "2"; venv: string; requirements: string };

const PYTEST_TIMEOUT_MS = 15 * 60_000;
const CLIENTS: Client[] = [
  { major: "3", venv: ".cache/venv-mlflow3", requirements: "tests/mlflow/requirements-3.txt" },
  { major: "2", venv: ".cache/venv-mlflow2", requirements: "tests/mlflow/requirements-2.txt" },
];

const args = process.argv.slice(2);
const separator = args.indexOf("--");
const pytestArgs = separator >= 0 ? args.slice(separator + 1) : [];
const ownArgs = separator >= 0 ? args.slice(0, separator) : args;
const chosen = ownArgs.includes("--client") ? ownArgs[ownArgs.indexOf("--client") + 1]!.split(",") : ["3", "2"];
const clients = CLIENTS.filter((c) => chosen.includes(c.major));

// 1. Cairn and the accounts the tests use

/**
 * Revokes a token the way a person does: signs in with the password (next-auth credentials) and
 * calls `token.revoke` (the operator CLI cannot revoke).
 */
async function revokeThroughWebSession(base: string, email: string, password: string, tokenName: string): Promise<void> {
  const { cookies, signedIn, response } = await signIn(base, email, password);
  if (!signedIn) throw new Error(`password sign-in gave no session (HTTP ${response.status})`);
  const listed = await fetch(`${base}/api/trpc/token.list`, { headers: { cookie: cookies.header() } });
  if (!listed.ok) throw new Error(`token.list answered HTTP ${listed.status}`);
  const tokens = ((await listed.json()) as { result: { data: { json: { id: string; name: string }[] } } }).result.data.json;
  const target = tokens.find((t) => t.name === tokenName);
  if (!target) throw new Error(`token ${tokenName} not in token.list`);
  const revoked = await fetch(`${base}/api/trpc/token.revoke`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: cookies.header(), origin: base },
    body: JSON.stringify({ json: { tokenId: target.id } }),
  });
  if (!revoked.ok) throw new Error(`token.revoke answered HTTP ${revoked.status}`);
}

type Fixtures = Record<string, string>;

async function createFixtures(cairn: RunningCairn, base: string): Promise<Fixtures> {
  const password = "mlflow-tests-password";
  const owner = "owner@mlflow-tests.example";
  const outsider = "outsider@mlflow-tests.example";
  await cli(cairn, ["users", "create", "--email", owner, "--password", password]);
  await cli(cairn, ["users", "create", "--email", outsider, "--password", password]);
  await cli(cairn, ["projects", "create", "--slug", "mlflow-tests", "--name", "MLflow tests", "--owner", owner]);
  await cli(cairn, ["projects", "create", "--slug", "elsewhere", "--name", "Someone else's project", "--owner", outsider]);
  const fixtures: Fixtures = {
    MLFLOW_TRACKING_URI: `${base}/p/mlflow-tests`,
    MLFLOW_TRACKING_TOKEN: await cli(cairn, ["tokens", "create", "--email", owner, "--name", "read-write"]),
    CAIRN_MLFLOW_READ_ONLY_TOKEN: await cli(cairn, ["tokens", "create", "--email", owner, "--name", "read-only", "--project", "mlflow-tests", "--read-only"]),
    CAIRN_MLFLOW_OTHER_PROJECT: "elsewhere",
    CAIRN_MLFLOW_OTHER_USER_TOKEN: await cli(cairn, ["tokens", "create", "--email", outsider, "--name", "elsewhere", "--project", "elsewhere"]),
  };
  const doomed = await cli(cairn, ["tokens", "create", "--email", owner, "--name", "to-revoke"]);
  await revokeThroughWebSession(base, owner, password, "to-revoke");
  fixtures.CAIRN_MLFLOW_REVOKED_TOKEN = doomed;
  return fixtures;
}

// 2. pytest, once per client version

function pytestEnv(fixtures: Fixtures): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A developer's own MLflow settings must not leak into the run.
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_") || key.startsWith("CAIRN_MLFLOW_")) delete env[key];
  return Object.assign(env, fixtures, {
    // A 5xx fails at once instead of retrying with backoff for minutes; the suite also fails on any 5xx.
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0",
    MLFLOW_HTTP_REQUEST_TIMEOUT: "60",
    MLFLOW_DISABLE_TELEMETRY: "true",
    DO_NOT_TRACK: "true",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
  });
}

function runPytest(client: Client, fixtures: Fixtures): Promise<boolean> {
  const commandArgs = ["-m", "pytest", "tests/mlflow", "-v", `--junitxml=test-results/junit/mlflow-${client.major}.xml`, ...pytestArgs];
  console.log(`\n$ ${client.venv}/bin/python ${commandArgs.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, client.venv, "bin", "python"), commandArgs, { cwd: ROOT, env: pytestEnv(fixtures), stdio: "inherit" });
    const timer = setTimeout(() => {
      console.error(`pytest (mlflow ${client.major}.x) still running after ${PYTEST_TIMEOUT_MS / 60_000} min: stopping it`);
      child.kill("SIGKILL");
    }, PYTEST_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  if (clients.length === 0) throw new Error(`--client takes 3, 2 or 3,2 (got ${chosen.join(",")})`);
  const setup = Date.now();
  // One after the other: on two cores, parallel installs were slower (pip compiles bytecode).
  for (const client of clients) await ensureVenv(client.venv, client.requirements);
  console.log(`virtual environments ready in ${seconds(setup)}`);

  const port = await freePort();
  const started = Date.now();
  const cairn = await startCairn({ port, env: {} });
  const base = cairn.base;
  const stop = async () => {
    await cairn.stop();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  const results: { client: Client; ok: boolean; took: string }[] = [];
  try {
    const fixtures = await createFixtures(cairn, base);
    console.log(`Cairn up at ${base} with test accounts in ${seconds(started)} (server log: test-results/cairn-${port}.log)`);
    for (const client of clients) {
      const t = Date.now();
      const ok = await runPytest(client, fixtures);
      results.push({ client, ok, took: seconds(t) });
    }
  } finally {
    await stop();
  }
  console.log("\nMLflow client tests:");
  for (const r of results) console.log(`  ${r.ok ? "pass" : "FAIL"}  mlflow ${r.client.major}.x (${r.took})`);
  return results.length === clients.length && results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
