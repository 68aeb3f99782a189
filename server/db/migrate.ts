import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";

// Any fixed number works; it only has to be the same in every Cairn instance.
const MIGRATION_LOCK = 0x63616972; // "cair"

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/**
 * Runs `work` while holding a session-level advisory lock on a dedicated connection, so that
 * instances starting at once do their schema work (migrations, job queues) one after the other.
 */
export async function withStartupLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Applies pending migrations from drizzle/, exactly once however many instances race. */
export async function migrateDatabase(url: string): Promise<{ applied: number }> {
  return withStartupLock(url, () => applyMigrations(url));
}

/** Applies pending migrations; the caller holds the startup lock. */
export async function applyMigrations(url: string): Promise<{ applied: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const before = (await appliedHashes(sql)).size;
    await migrate(drizzle(sql), { migrationsFolder });
    const after = (await appliedHashes(sql)).size;
    return { applied: after - before };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Every migration in drizzle/, in order, and whether this database has it. */
export async function migrationStatus(url: string): Promise<{ name: string; applied: boolean }[]> {
  const files = readMigrationFiles({ migrationsFolder });
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const applied = await appliedHashes(sql);
    return files.map((f, i) => ({ name: journal.entries[i]?.tag ?? f.hash, applied: applied.has(f.hash) }));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function appliedHashes(sql: postgres.Sql): Promise<Set<string>> {
  const [table] = await sql`select to_regclass('drizzle.__drizzle_migrations') as name`;
  if (!table?.name) return new Set();
  const rows = await sql`select hash from drizzle.__drizzle_migrations`;
  return new Set(rows.map((r) => String(r.hash)));
}
