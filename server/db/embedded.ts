import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { servePGlite } from "./pglite-server";

export type EmbeddedDatabase = {
  url: string;
  /** True when another process owns the folder and this one only connects through its socket. */
  borrowed: boolean;
  close(): Promise<void>;
};

type Owner = { pid: number; port: number };

/**
 * PostgreSQL's settings for the embedded server. Its shared buffers live in the WebAssembly heap,
 * which only grows: PostgreSQL's default of 128 MB is kept in the process for good once touched,
 * while the folder's files stay in the operating system's cache either way. Prepared statements are
 * planned for each execution's values, as on a PostgreSQL server (server/db/client.ts).
 */
const EMBEDDED_SETTINGS = ["shared_buffers=32MB", "plan_cache_mode=force_custom_plan"];

/** Runs initdb for a new folder in a short-lived process (see pglite-initdb.mjs). */
function initializeFolder(folder: string) {
  if (existsSync(path.join(folder, "PG_VERSION"))) return;
  const script = fileURLToPath(new URL("./pglite-initdb.mjs", import.meta.url));
  const init = spawnSync(process.execPath, [script, folder], { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`Could not create the embedded database in ${folder}:\n${init.stderr || init.stdout}`);
}

// PGlite has no lock of its own: a second process opening the folder loses writes. Exactly one
// process owns it, serving every other connection (Next.js, the CLI, psql) over a loopback socket.

/**
 * Opens the embedded PostgreSQL kept in `<dataDir>/pglite` and serves it on 127.0.0.1:`port`.
 * If a live process already owns the folder, `borrow` decides: connect through its socket, or fail.
 */
export async function openEmbeddedDatabase(options: { dataDir: string; port: number; borrow: boolean }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "pglite.lock");

  const owner = await settled(claimLock(lockPath), lockPath);
  if (owner) {
    if (!options.borrow) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner.pid} (port ${owner.port}). ` +
          "Stop that Cairn, or set DATABASE_URL to use a PostgreSQL server.",
      );
    }
    return { url: urlFor(owner.port), borrowed: true, close: async () => {} };
  }

  try {
    const folder = path.join(dataDir, "pglite");
    initializeFolder(folder);
    const db = await PGlite.create(folder, { postgresqlconf: EMBEDDED_SETTINGS });
    const server = await servePGlite(db, { host: "127.0.0.1", port: options.port });
    const port = server.port;
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port } satisfies Owner));
    return {
      url: urlFor(port),
      borrowed: false,
      close: async () => {
        await server.stop();
        await db.close();
        rmSync(lockPath, { force: true });
      },
    };
  } catch (error) {
    rmSync(lockPath, { force: true });
    throw error;
  }
}

function urlFor(port: number) {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

/** Takes the lock file, or returns its live owner. A lock left by a dead process is taken over. */
function claimLock(lockPath: string): Owner | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      closeSync(openSync(lockPath, "wx"));
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port: 0 } satisfies Owner));
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(lockPath);
      if (owner && isAlive(owner.pid)) return owner;
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

/** An owner still starting up has written port 0; wait for its real port. */
async function settled(owner: Owner | null, lockPath: string): Promise<Owner | null> {
  for (let waited = 0; owner && owner.port === 0 && waited < 15_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    owner = readOwner(lockPath);
  }
  return owner;
}

function readOwner(lockPath: string): Owner | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<Owner>;
    return typeof parsed.pid === "number" && typeof parsed.port === "number" ? (parsed as Owner) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
