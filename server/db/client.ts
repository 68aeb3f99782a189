import postgres from "postgres";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { env } from "../env.js";
import { preparing, StatementChooser } from "./prepared-statements";
import * as schema from "./schema";

/**
 * Opens a pool whose statements PostgreSQL cancels after `statementTimeoutMs` (0: never), so that no
 * request holds a connection for long. PGlite accepts no connection parameters and enforces no
 * timeout: it runs a statement to its end. Frequent statements are prepared (one round trip, not
 * two) and still planned for each execution's values, so a prepared search never runs a generic
 * plan worse than its own (the embedded database sets the same in its configuration).
 */
export function openPool(url: string, options: { size: number; statementTimeoutMs: number }) {
  const client = preparing(
    postgres(url, {
      max: options.size,
      onnotice: () => {},
      connection: { application_name: "cairn", statement_timeout: options.statementTimeoutMs, plan_cache_mode: "force_custom_plan" },
    }),
    new StatementChooser(),
  );
  return { sql: client, db: drizzle(client, { schema, casing: "snake_case" }) };
}

type Connection = ReturnType<typeof openPool>;
type RootDatabase = Connection["db"];
type Transaction = Parameters<Parameters<RootDatabase["transaction"]>[0]>[0];

/** The pool or an open transaction: services take either, so writes compose. */
export type Database = RootDatabase | Transaction;

const holder = globalThis as unknown as { cairnDb?: Connection };

/**
 * The process-wide pool. Opened on first use, never at import, and refused during `next build`
 * (a build must not touch the database: it may run where none exists, or corrupt an embedded one).
 */
export function getConnection(): Connection {
  if (holder.cairnDb) return holder.cairnDb;
  if (process.env.NEXT_PHASE === "phase-production-build") {
    throw new Error("The database was opened during `next build`; mark the page or route dynamic.");
  }
  const e = env();
  if (!e.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. Start Cairn with `npm run dev` or `npm start`, which provide the embedded database.");
  }
  holder.cairnDb = openPool(e.DATABASE_URL, { size: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.CAIRN_STATEMENT_TIMEOUT_MS });
  return holder.cairnDb;
}

export function getDb(): RootDatabase {
  return getConnection().db;
}

/**
 * Lifts the statement timeout for the rest of the open transaction `tx`, for work bounded by the
 * data it removes rather than by a request: purging deleted runs, deleting a project.
 */
export async function liftStatementTimeout(tx: Database): Promise<void> {
  await tx.execute(sql`set local statement_timeout = 0`);
}

/** Closes the pool (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const current = holder.cairnDb;
  holder.cairnDb = undefined;
  await current?.sql.end({ timeout: 5 });
}

export { schema };
