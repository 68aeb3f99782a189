import { eq } from "drizzle-orm";
import { randomSecret } from "../crypto";
import type { Database } from "../db/client";
import { instanceSettings } from "../db/schema";

let sessionSecret: Promise<string> | undefined;

/**
 * The secret that signs session cookies when AUTH_SECRET is not set: generated once and kept in
 * the database, so every instance on the same database agrees without configuration.
 */
export function instanceSessionSecret(db: Database): Promise<string> {
  sessionSecret ??= (async () => {
    await db
      .insert(instanceSettings)
      .values({ key: "session_secret", value: randomSecret(48) })
      .onConflictDoNothing();
    const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, "session_secret"));
    return row!.value;
  })();
  sessionSecret.catch(() => (sessionSecret = undefined));
  return sessionSecret;
}
