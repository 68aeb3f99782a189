import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { requireProductionBuild, serverBase, spawnCairn } from "../../support/cairn-process";
import { cli, freePort, processTree, ROOT, treeRss } from "../../support/harness";

export { cli, ROOT, treeRss } from "../../support/harness";

/**
 * Real Cairn servers for the fault tests: `scripts/serve.ts start` (the launcher, which owns the
 * embedded PGlite when there is no DATABASE_URL) and its `next start` child, like
 * tests/e2e/support/cairn-server.ts, plus what these tests need beyond it: the data can outlive
 * a server (restart on the same PGlite folder or PostgreSQL database), the whole process tree can
 * be SIGKILLed, and several servers can share one database and one artifact folder.
 */

/** Where a server keeps its data: a PGlite folder, or a PostgreSQL database. */
export type Backend =
  | { kind: "pglite"; dataDir: string; artifactsDir: string; drop(): Promise<void> }
  | { kind: "postgres"; url: string; artifactsDir: string; drop(): Promise<void> };

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A new, empty place for data: a database next to TEST_DATABASE_URL when it is set, otherwise a
 * PGlite folder. Artifacts go to a folder of their own either way.
 */
export async function freshBackend(label: string, kind: "pglite" | "postgres" = onPostgres ? "postgres" : "pglite"): Promise<Backend> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `cairn-faults-${label}-`));
  const artifactsDir = path.join(scratch, "artifacts");
  mkdirSync(artifactsDir);
  if (kind === "pglite") {
    return { kind, dataDir: path.join(scratch, "data"), artifactsDir, drop: async () => rmSync(scratch, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("A PostgreSQL backend needs TEST_DATABASE_URL");
  const name = `cairn_faults_${label.replace(/\W/g, "_")}_${process.pid}_${randomBytes(3).toString("hex")}`;
  await withSql(admin, (sql) => sql.unsafe(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    artifactsDir,
    drop: async () => {
      await withSql(admin, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` on a one-connection pool and closes it. */
export async function withSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type CairnServer = {
  port: number;
  base: string;
  backend: Backend;
  /** The environment the server runs with; the CLI uses it to reach the same database. */
  env: NodeJS.ProcessEnv;
  /** The launcher's pid; it leads a process group that holds the `next start` child too. */
  pid: number;
  /** Every pid of the server's process tree. */
  pids(): number[];
  /** Resident memory of the whole tree, in bytes. */
  rss(): number;
  /** A URL on which tests can query the server's database directly. */
  databaseUrl(): string;
  log(): string;
  /** SIGKILL to the launcher and every process under it at once: a crash, no clean-up. */
  kill(): Promise<void>;
  /** A clean stop (SIGTERM, SIGKILL after 10 s). The data stays. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
// Servers are detached (own process group); never leave one behind if the test process dies.
process.once("exit", () => {
  for (const child of running) if (child.pid && child.exitCode === null) killGroup(child.pid, "SIGKILL");
});

/** Starts the production build on `backend` and waits until /api/health answers. */
export async function launchCairn(backend: Backend, options: { port?: number; env?: Record<string, string>; name?: string } = {}): Promise<CairnServer> {
  requireProductionBuild();
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PORT: String(port),
    NODE_ENV: "production",
    CAIRN_ARTIFACTS_DIR: backend.artifactsDir,
  };
  delete env.CAIRN_S3_BUCKET;
  if (backend.kind === "postgres") {
    env.DATABASE_URL = backend.url;
  } else {
    delete env.DATABASE_URL;
    env.CAIRN_DATA_DIR = backend.dataDir;
    env.CAIRN_PGLITE_PORT = "0";
  }
  const { child, output: lines } = spawnCairn(env, port, { detached: true });
  running.add(child);
  child.once("exit", () => running.delete(child));
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const file = createWriteStream(path.join(ROOT, "test-results", `cairn-faults-${options.name ?? "server"}-${port}.log`), { flags: "a" });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (d) => file.write(d));
  const base = serverBase(port);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid!;
  const server: CairnServer = {
    port,
    base,
    backend,
    env,
    pid,
    pids: () => processTree(pid),
    rss: () => treeRss(pid),
    databaseUrl() {
      if (backend.kind === "postgres") return backend.url;
      const owner = JSON.parse(readFileSync(path.join(backend.dataDir, "pglite.lock"), "utf8")) as { port: number };
      return `postgres://postgres:postgres@127.0.0.1:${owner.port}/postgres`;
    },
    log: () => lines.join(""),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) killGroup(pid, "SIGKILL");
      await exited;
      // The group may outlive its leader for a moment; wait until every member is gone.
      for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(50);
      file.end();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 10_000);
        child.kill("SIGTERM");
        await exited;
        clearTimeout(timer);
      }
      for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(50);
      if (groupAlive(pid)) killGroup(pid, "SIGKILL");
      file.end();
    },
  };
  try {
    await waitUntilReady(server, child);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

async function waitUntilReady(server: CairnServer, child: ChildProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Cairn exited during start-up:\n${server.log()}`);
    // Next.js logs a failed instrumentation hook (start-up work) and keeps running, unable to serve.
    if (server.log().includes("Failed to prepare server")) throw new Error(`Cairn failed during start-up:\n${server.log()}`);
    try {
      if ((await fetch(`${server.base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`Cairn did not become ready within 120 s:\n${server.log()}`);
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Account = { email: string; password: string; token: string };

/** A user owning a project, with a read-write token: the fixture most tests start from. */
export async function createOwner(server: { env: NodeJS.ProcessEnv }, slug: string, email = `owner@${slug}.example`): Promise<Account> {
  const password = "fault-tests-password";
  await cli(server, ["users", "create", "--email", email, "--password", password]);
  await cli(server, ["projects", "create", "--slug", slug, "--name", `Faults ${slug}`, "--owner", email]);
  const token = await cli(server, ["tokens", "create", "--email", email, "--name", `${slug}-rw`]);
  return { email, password, token };
}
