import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export type RunningCairn = { env: NodeJS.ProcessEnv; stop(): Promise<void> };

/**
 * Starts the production build (`npm start`) on a fresh database: a new PGlite folder, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL.
 */
export async function startCairn(options: { port: number; env: Record<string, string> }): Promise<RunningCairn> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build: run `npm run build` first (npm test does).");
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(options.port), NODE_ENV: "production" };
  let dropDatabase = async () => {};
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cairn-e2e-"));
  if (process.env.TEST_DATABASE_URL) {
    const name = `cairn_e2e_${process.pid}_${options.port}`;
    const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    delete env.DATABASE_URL;
    env.CAIRN_DATA_DIR = dataDir;
    env.CAIRN_PGLITE_PORT = "0";
  }

  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "start", "-H", "127.0.0.1", "-p", String(options.port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The server's output goes to test-results/, to read when a journey fails.
  mkdirSync("test-results", { recursive: true });
  const file = createWriteStream(`test-results/cairn-${options.port}.log`);
  const log: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (d) => {
      log.push(String(d));
      file.write(d);
    });
  }
  await waitUntilReady(`http://127.0.0.1:${options.port}/api/health`, child, log);
  return {
    env,
    async stop() {
      await stopProcess(child);
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, log: string[]) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Cairn exited during start-up:\n${log.join("")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Cairn did not become ready:\n${log.join("")}`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
