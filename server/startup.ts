import { applyMigrations, withStartupLock } from "./db/migrate";
import { env } from "./env.js";
import { startJobs } from "./jobs";

/**
 * Start-up work of every app instance: bring the schema up to date (safe when instances race),
 * then start the job queue (e-mails, webhook deliveries, purging deleted runs).
 */
export async function startServer(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. Start Cairn with `npm run dev` or `npm start`, which provide the embedded database.");
  }
  const url = config.DATABASE_URL;
  // pg-boss creates a table per queue: instances racing to create them deadlock, so the queues are
  // set up under the same lock as the migrations.
  await withStartupLock(url, async () => {
    const { applied } = await applyMigrations(url);
    if (applied > 0) console.log(`cairn: applied ${applied} database migration(s)`);
    await startJobs(url);
  });
}
