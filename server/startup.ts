import { systemActor } from "./access/actor";
import { createServiceContext } from "./context";
import { migrateDatabase } from "./db/migrate";
import { env } from "./env.js";
import { purgeDeletedRuns } from "./services/tracking/purge";

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Start-up work of every app instance: bring the schema up to date (safe when instances race),
 * then purge runs deleted longer ago than the retention period, hourly.
 */
export async function startServer(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. Start Cairn with `npm run dev` or `npm start`, which provide the embedded database.");
  }
  const { applied } = await migrateDatabase(config.DATABASE_URL);
  if (applied > 0) console.log(`cairn: applied ${applied} database migration(s)`);
  setInterval(() => void purgeExpiredRuns(config.CAIRN_RUN_RETENTION_DAYS), PURGE_EVERY_MS).unref();
}

async function purgeExpiredRuns(retentionDays: number) {
  try {
    const before = new Date(Date.now() - retentionDays * 86_400_000);
    const { runs } = await purgeDeletedRuns(createServiceContext(systemActor("retention")), before);
    if (runs) console.log(`cairn: purged ${runs} run(s) deleted before ${before.toISOString()}`);
  } catch (error) {
    console.error("cairn: purging deleted runs failed:", error);
  }
}
