import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { requireProductionBuild, serverBase, spawnCairn, stopProcess, waitUntilReady } from "../../support/cairn-process";

export type RunningCairn = { base: string; env: NodeJS.ProcessEnv; stop(): Promise<void> };

/**
 * Starts the production build (`npm start`) on a fresh database: a new PGlite folder, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL.
 */
export async function startCairn(options: { port: number; env: Record<string, string> }): Promise<RunningCairn> {
  requireProductionBuild();
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

  const { child, output } = spawnCairn(env, options.port);
  // The server's output goes to test-results/, to read when a journey fails.
  mkdirSync("test-results", { recursive: true });
  const file = createWriteStream(`test-results/cairn-${options.port}.log`);
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (d) => file.write(d));
  const base = serverBase(options.port);
  await waitUntilReady(base, child, output, 90_000);
  return {
    base,
    env,
    async stop() {
      await stopProcess(child);
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
