// The official MLflow Python client (newest 3.x and last 2.x) against Cairn's production build:
// `npx tsx scripts/mlflow-tests.ts [--client 3,2] [--store local,s3] [-- <pytest args>]`. Needs
// `npm run build` first.
//
// 1. Creates (or reuses) .cache/venv-mlflow3 and .cache/venv-mlflow2 from tests/mlflow/requirements-*.txt,
//    reinstalling one only when its requirements file (or the Python version) changed.
// 2. Per artifact store (the local folder, then an S3 bucket on moto's S3 server), starts Cairn on a
//    free port on a fresh database, and creates through the operator CLI what the tests need: a user
//    with a project, read-write and read-only tokens, another user with their own project and token,
//    a token revoked through the web session (the CLI cannot revoke), and a maintainer who reviews
//    promotions (at the browser: pytest signs in with the password), invited and accepted the way
//    people join. Cairn's e-mail goes to a local SMTP
//    capture whose messages pytest reads over HTTP (CAIRN_MLFLOW_MAILBOX_URL).
// 3. Runs pytest once per client version, then stops Cairn. On S3 each client runs only the files
//    that move bytes (artifacts, models, the registry, and for 3.x serving a registered model), which
//    bounds what the second store costs; both add test_s3_bucket.py, which finds those bytes in the
//    bucket. Exits non-zero on any failure.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCairn, type RunningCairn } from "../tests/e2e/support/cairn-server";
import { cli, ensureVenv, freePort, ROOT, seconds, signIn } from "../tests/support/harness";
import { startMailbox, type Mailbox } from "../tests/support/mailbox";
import { startS3Server } from "../tests/support/s3-server";

type Client = { major: "3" | "2"; venv: string; requirements: string };
type Store = "local" | "s3";

const PYTEST_TIMEOUT_MS = 15 * 60_000;
const CLIENTS: Client[] = [
  { major: "3", venv: ".cache/venv-mlflow3", requirements: "tests/mlflow/requirements-3.txt" },
  { major: "2", venv: ".cache/venv-mlflow2", requirements: "tests/mlflow/requirements-2.txt" },
];

const args = process.argv.slice(2);
const separator = args.indexOf("--");
const pytestArgs = separator >= 0 ? args.slice(separator + 1) : [];
const ownArgs = separator >= 0 ? args.slice(0, separator) : args;
const option = (name: string, fallback: string[]) => (ownArgs.includes(name) ? ownArgs[ownArgs.indexOf(name) + 1]!.split(",") : fallback);
const chosen = option("--client", ["3", "2"]);
const clients = CLIENTS.filter((c) => chosen.includes(c.major));
const stores = option("--store", ["local", "s3"]) as Store[];

/** On S3, the files of tests/mlflow a client runs: those that store and read artifacts and models. */
const S3_SUBSET: Record<Client["major"], string[] | null> = {
  "3": ["test_artifacts.py", "test_lifecycle.py", "test_registry.py", "test_serving.py", "test_s3_bucket.py"],
  "2": ["test_artifacts.py", "test_autolog.py", "test_registry.py", "test_s3_bucket.py"],
};
const subsetFor = (client: Client, store: Store) => (store === "s3" ? S3_SUBSET[client.major] : null);

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
  const reviewer = "reviewer@mlflow-tests.example";
  await cli(cairn, ["users", "create", "--email", reviewer, "--password", password]);
  await joinThroughInvitation(base, { email: owner, password }, { email: reviewer, password, slug: "mlflow-tests", role: "maintainer" });
  // Reviews need a person at the browser (tokens cannot approve): pytest signs in as the reviewer.
  fixtures.CAIRN_MLFLOW_REVIEWER_EMAIL = reviewer;
  fixtures.CAIRN_MLFLOW_REVIEWER_PASSWORD = password;
  return fixtures;
}

/** A tRPC mutation over HTTP, as the web client sends it (superjson's `{ json }` envelope). */
async function trpcMutation(base: string, procedure: string, input: unknown, auth: Record<string, string>): Promise<unknown> {
  const response = await fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json", origin: base },
    body: JSON.stringify({ json: input }),
  });
  if (!response.ok) throw new Error(`${procedure} answered HTTP ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

/** A person's browser session cookie (next-auth's password sign-in). */
async function sessionOf(base: string, email: string, password: string): Promise<Record<string, string>> {
  const { cookies, signedIn } = await signIn(base, email, password);
  if (!signedIn) throw new Error(`${email} could not sign in`);
  return { cookie: cookies.header() };
}

/** Brings a person into a project the way people join: the owner invites, they accept, both at the browser. */
async function joinThroughInvitation(
  base: string,
  owner: { email: string; password: string },
  who: { email: string; password: string; slug: string; role: string },
): Promise<void> {
  const invite = { projectSlug: who.slug, email: who.email, role: who.role };
  const { secret } = (await trpcMutation(base, "invitation.create", invite, await sessionOf(base, owner.email, owner.password))) as { secret: string };
  await trpcMutation(base, "invitation.accept", { secret }, await sessionOf(base, who.email, who.password));
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

function runPytest(client: Client, store: Store, fixtures: Fixtures): Promise<boolean> {
  const subset = subsetFor(client, store);
  const files = subset ? subset.map((f) => `tests/mlflow/${f}`) : ["tests/mlflow"];
  const suite = `mlflow-${client.major}${store === "s3" ? "-s3" : ""}`;
  const commandArgs = ["-m", "pytest", ...files, "-v", `--junitxml=test-results/junit/${suite}.xml`, "-o", `junit_suite_name=${suite}`, ...pytestArgs];
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

/** A Cairn's artifact store: the settings it starts with, what pytest is told of it, and its tear-down. */
type StoreSetup = { cairnEnv: Record<string, string>; pytestEnv: Fixtures; stop(): Promise<void> };

async function setUpStore(store: Store): Promise<StoreSetup> {
  if (store === "local") return { cairnEnv: {}, pytestEnv: {}, stop: async () => {} };
  const s3 = await startS3Server();
  const bucket = "cairn-mlflow-tests";
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    await s3.stop();
    throw error;
  } finally {
    client.destroy();
  }
  // Where artifacts would go if the S3 settings were ignored; test_s3_bucket.py checks it stays empty.
  const fallback = mkdtempSync(path.join(os.tmpdir(), "cairn-mlflow-s3-"));
  const artifactsDir = path.join(fallback, "artifacts");
  return {
    cairnEnv: {
      CAIRN_S3_BUCKET: bucket,
      CAIRN_S3_PREFIX: "cairn",
      CAIRN_S3_ENDPOINT: s3.endpoint,
      CAIRN_S3_FORCE_PATH_STYLE: "1",
      CAIRN_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      CAIRN_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      CAIRN_ARTIFACTS_DIR: artifactsDir,
    },
    pytestEnv: {
      CAIRN_MLFLOW_S3_ENDPOINT: s3.endpoint,
      CAIRN_MLFLOW_S3_BUCKET: bucket,
      CAIRN_MLFLOW_S3_PREFIX: "cairn",
      CAIRN_MLFLOW_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      CAIRN_MLFLOW_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      CAIRN_MLFLOW_S3_REGION: "us-east-1",
      CAIRN_MLFLOW_ARTIFACTS_DIR: artifactsDir,
    },
    async stop() {
      await s3.stop();
      rmSync(fallback, { recursive: true, force: true });
    },
  };
}

type Result = { client: Client; store: Store; ok: boolean; took: string };

/** One Cairn on `store`, every chosen client against it. */
async function runStore(store: Store, results: Result[]): Promise<void> {
  const started = Date.now();
  const setup = await setUpStore(store);
  let mailbox: Mailbox | undefined;
  let cairn: RunningCairn | undefined;
  const stop = async () => {
    await cairn?.stop();
    await mailbox?.close();
    await setup.stop();
  };
  const onInterrupt = () => void stop().then(() => process.exit(130));
  process.once("SIGINT", onInterrupt);
  try {
    const port = await freePort();
    mailbox = await startMailbox();
    cairn = await startCairn({ port, env: { ...setup.cairnEnv, CAIRN_SMTP_URL: mailbox.smtpUrl, CAIRN_WEBHOOK_ALLOWED_NETWORKS: "127.0.0.1/32" } });
    const fixtures = { ...(await createFixtures(cairn, cairn.base)), ...setup.pytestEnv, CAIRN_MLFLOW_MAILBOX_URL: mailbox.url };
    console.log(`Cairn (${describeStore(store)}) up at ${cairn.base} with test accounts in ${seconds(started)} (server log: test-results/cairn-${port}.log)`);
    for (const client of clients) {
      const t = Date.now();
      const ok = await runPytest(client, store, fixtures);
      results.push({ client, store, ok, took: seconds(t) });
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    await stop();
  }
}

function describeStore(store: Store): string {
  return store === "local" ? "artifacts in a local folder" : "artifacts in an S3 bucket on moto";
}

function describeRun(client: Client, store: Store): string {
  const subset = subsetFor(client, store);
  return `mlflow ${client.major}.x, ${describeStore(store)}: ${subset ? subset.join(", ") : "the whole suite"}`;
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  if (clients.length === 0) throw new Error(`--client takes 3, 2 or 3,2 (got ${chosen.join(",")})`);
  if (stores.length === 0 || stores.some((s) => s !== "local" && s !== "s3")) throw new Error(`--store takes local, s3 or local,s3 (got ${stores.join(",")})`);
  const setup = Date.now();
  // One after the other: on two cores, parallel installs were slower (pip compiles bytecode).
  for (const client of clients) await ensureVenv(client.venv, client.requirements);
  console.log(`virtual environments ready in ${seconds(setup)}`);
  for (const store of stores) for (const client of clients) console.log(`will run ${describeRun(client, store)}`);

  const results: Result[] = [];
  for (const store of stores) await runStore(store, results);
  console.log("\nMLflow client tests:");
  for (const r of results) console.log(`  ${r.ok ? "pass" : "FAIL"}  ${describeRun(r.client, r.store)} (${r.took})`);
  return results.length === clients.length * stores.length && results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
