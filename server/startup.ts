import { getDb } from "./db/client";
import { applyMigrations, withStartupLock } from "./db/migrate";
import { env } from "./env.js";
import { startJobs } from "./jobs";
import { wireDomain } from "./services/wiring";
import { chainLegacyRows } from "./services/audit-trail/chain-store";

/**
 * Start-up work of every app instance: bring the schema up to date (safe when instances race),
 * chain the audit rows an older release left unchained, then start the job queue (e-mails, webhook
 * deliveries, purging deleted runs).
 */
export async function startServer(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. Start Cairn with `npm run dev` or `npm start`, which provide the embedded database.");
  }
  const url = config.DATABASE_URL;
  wireDomain();
  // pg-boss creates a table per queue: instances racing to create them deadlock, so the queues are
  // set up under the same lock as the migrations.
  await withStartupLock(url, async () => {
    const { applied } = await applyMigrations(url);
    if (applied > 0) console.log(`cairn: applied ${applied} database migration(s)`);
    const { rows } = await chainLegacyRows(getDb());
    if (rows > 0) console.log(`cairn: chained ${rows} audit and timeline row(s) written before the hash chain`);
    await startJobs(url);
  });
}
