import { openEmbeddedDatabase } from "../db/embedded";
import { closeDb } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { parseEnv } from "../env.js";

/**
 * Gives a CLI command a database URL: DATABASE_URL, or the embedded database, reached through the
 * running Cairn's socket when one owns it, or opened here for the duration of the command.
 */
export async function withDatabase<T>(options: { migrate: boolean }, fn: (url: string) => Promise<T>): Promise<T> {
  // Parsed without memoising: the URL chosen here must be what the services then read.
  const config = parseEnv(process.env);
  const embedded = config.DATABASE_URL ? null : await openEmbeddedDatabase({ dataDir: config.CAIRN_DATA_DIR, port: 0, borrow: true });
  const url = config.DATABASE_URL ?? embedded!.url;
  process.env.DATABASE_URL = url;
  try {
    if (options.migrate) await migrateDatabase(url);
    return await fn(url);
  } finally {
    await closeDb();
    await embedded?.close();
  }
}
