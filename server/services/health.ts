import { sql } from "drizzle-orm";
import { getDb, type Database } from "../db/client";

/** Readiness for load balancers: the database answers. */
export async function checkHealth(db: Database = getDb()): Promise<{ status: "ok" | "unavailable" }> {
  try {
    await db.execute(sql`select 1`);
    return { status: "ok" };
  } catch {
    return { status: "unavailable" };
  }
}
