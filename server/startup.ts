import { migrateDatabase } from "./db/migrate";
import { env } from "./env.js";

/** Start-up work of every app instance: bring the schema up to date (safe when instances race). */
export async function startServer(): Promise<void> {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set. Start Cairn with `npm run dev` or `npm start`, which provide the embedded database.");
  }
  const { applied } = await migrateDatabase(url);
  if (applied > 0) console.log(`cairn: applied ${applied} database migration(s)`);
}
