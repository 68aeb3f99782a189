import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { serverBase, spawnCairn, stopProcess, waitUntilReady } from "../tests/support/cairn-process";
import { childrenOf, freePort, ROOT } from "../tests/support/harness";
import { commandOf } from "./memory";
import { createBenchDatabase } from "./postgres";
import { note } from "./progress";

export const WORK_DIR = path.join(ROOT, "bench", ".work");

export type BenchServer = {
  base: string;
  database: "postgresql" | "pglite";
  /** For direct SQL (bulk loading, the raw-insert ceiling): the bench database, or the embedded one's socket. */
  databaseUrl: string;
  /** The environment under which the operator CLI reaches the same database. */
  env: NodeJS.ProcessEnv;
  /** `scripts/serve.ts`; with PGlite it also holds the embedded database. */
  launcherPid: number;
  /** The server process (Next.js behind the front server), whose tree is "the server" for memory figures. */
  nextPid: number;
  log: string;
  stop(): Promise<void>;
};

/** A `next build` of this checkout that is running now (another terminal, the test runner), if any. */
function runningBuild(): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (commandOf(Number(entry)).startsWith("next-build") && readlinkSync(`/proc/${entry}/cwd`) === ROOT) return Number(entry);
    } catch {
      // exited, or not ours to read
    }
  }
  return undefined;
}

/**
 * Builds the production bundle when there is none, or always with `force`. A build of the same
 * checkout already under way is waited for rather than raced (two builds in one .next break both).
 */
export async function ensureBuild(force: boolean): Promise<{ buildId: string; builtAt: string }> {
  const idFile = path.join(ROOT, ".next", "BUILD_ID");
  let other = runningBuild();
  if (other) note(`Waiting for the next build already running in this checkout (pid ${other}) …`);
  while (other) {
    await new Promise((r) => setTimeout(r, 2000));
    other = runningBuild();
  }
  if (force || !existsSync(idFile)) {
    note(force ? "Building Cairn (next build) as asked by --build …" : "No production build (.next/BUILD_ID): running next build …");
    const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", process.stderr, process.stderr],
    });
    if (built.status !== 0 || !existsSync(idFile)) throw new Error("next build failed (output above)");
  }
  return { buildId: readFileSync(idFile, "utf8").trim(), builtAt: statSync(idFile).mtime.toISOString() };
}

/**
 * A module, preloaded into the server's processes, that runs V8's sampling profiler from start to
 * exit and writes `cairn-<pid>.cpuprofile` (Node refuses --cpu-prof in NODE_OPTIONS). The in-process
 * inspector answers synchronously, so the profile can be written in the exit handler.
 */
function profilerModule(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const source = `
    import { Session } from "node:inspector";
    import { writeFileSync } from "node:fs";
    const session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    process.on("exit", () => session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(${JSON.stringify(dir)} + "/cairn-" + process.pid + ".cpuprofile", JSON.stringify(result.profile));
    }));`;
  return `data:text/javascript,${encodeURIComponent(source.replace(/\s+/g, " ").trim())}`;
}

/**
 * Starts the production build the way an operator does (`scripts/serve.ts start`) on a fresh
 * database: a new database next to `adminUrl` on PostgreSQL, or a new PGlite folder under
 * bench/.work. `keep` leaves the database (or folder) behind for inspection.
 */
export async function startServer(options: { pglite: boolean; adminUrl: string; keep: boolean; profile: boolean }): Promise<BenchServer> {
  mkdirSync(WORK_DIR, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
  delete env.NODE_OPTIONS;
  if (options.profile) env.NODE_OPTIONS = `--import=${profilerModule(path.join(WORK_DIR, "profiles"))}`;
  let cleanup = async () => {};
  let databaseUrl = "";
  let dataDir = "";
  if (options.pglite) {
    dataDir = mkdtempSync(path.join(WORK_DIR, "pglite-"));
    delete env.DATABASE_URL;
    env.CAIRN_DATA_DIR = dataDir;
    env.CAIRN_PGLITE_PORT = "0";
    cleanup = async () => {
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    };
  } else {
    const database = await createBenchDatabase(options.adminUrl, options.keep);
    env.DATABASE_URL = databaseUrl = database.url;
    cleanup = () => database.drop();
  }

  const log = path.join(WORK_DIR, `cairn-${port}.log`);
  const file = createWriteStream(log);
  const { child, output } = spawnCairn(env, port);
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (d: Buffer) => file.write(d));
  const stop = async () => {
    await stopProcess(child);
    file.end();
    await cleanup();
  };
  try {
    const base = serverBase(port);
    await waitUntilReady(base, child, output, 180_000);
    if (options.pglite) {
      const { port: dbPort } = JSON.parse(readFileSync(path.join(dataDir, "pglite.lock"), "utf8")) as { port: number };
      databaseUrl = `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`;
    }
    const nextPid = childrenOf(child.pid!).find((pid) => commandOf(pid).includes("next"));
    if (!nextPid) throw new Error("Could not find the server process under scripts/serve.ts");
    const { NODE_OPTIONS: _profiler, ...cliEnv } = env;
    return {
      base,
      database: options.pglite ? "pglite" : "postgresql",
      databaseUrl,
      env: cliEnv,
      launcherPid: child.pid!,
      nextPid,
      log,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
