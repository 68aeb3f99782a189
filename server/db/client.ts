import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { env } from "../env.js";
import * as schema from "./schema";

function connect(url: string, poolSize: number) {
  const sql = postgres(url, { max: poolSize, onnotice: () => {}, connection: { application_name: "cairn" } });
  return { sql, db: drizzle(sql, { schema, casing: "snake_case" }) };
}

type Connection = ReturnType<typeof connect>;
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
  holder.cairnDb = connect(e.DATABASE_URL, e.DATABASE_POOL_SIZE);
  return holder.cairnDb;
}

export function getDb(): RootDatabase {
  return getConnection().db;
}

/** Closes the pool (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const current = holder.cairnDb;
  holder.cairnDb = undefined;
  await current?.sql.end({ timeout: 5 });
}

export { schema };
