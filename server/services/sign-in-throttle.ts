import { inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { signInThrottle } from "../db/schema";
import { rateLimited } from "../errors";

const WINDOW_MINUTES = 15;
const LIMITS = { email: 5, address: 50 } as const;

export type ThrottleKeys = { email: string; address: string | null };

function keysOf(k: ThrottleKeys) {
  return [
    { key: `email:${k.email}`, limit: LIMITS.email },
    ...(k.address ? [{ key: `address:${k.address}`, limit: LIMITS.address }] : []),
  ];
}

/** Refuses the attempt before the password is even checked while the e-mail or address is blocked. */
export async function assertNotThrottled(db: Database, keys: ThrottleKeys): Promise<void> {
  const rows = await db
    .select({ blockedUntil: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, keysOf(keys).map((k) => k.key)));
  const until = rows.map((r) => r.blockedUntil?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
  if (until > Date.now()) {
    const seconds = Math.ceil((until - Date.now()) / 1000);
    throw rateLimited(`Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`, seconds);
  }
}

/** Counts a failure; reaching the limit within the window blocks further attempts for a window. */
export async function recordSignInFailure(db: Database, keys: ThrottleKeys): Promise<void> {
  for (const { key, limit } of keysOf(keys)) {
    const stale = sql`${signInThrottle.windowStartedAt} < now() - make_interval(mins => ${WINDOW_MINUTES})`;
    const failures = sql`case when ${stale} then 1 else ${signInThrottle.failures} + 1 end`;
    await db
      .insert(signInThrottle)
      .values({ key, failures: 1, windowStartedAt: sql`now()` })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures,
          windowStartedAt: sql`case when ${stale} then now() else ${signInThrottle.windowStartedAt} end`,
          blockedUntil: sql`case when ${failures} >= ${limit} then now() + make_interval(mins => ${WINDOW_MINUTES}) else null end`,
        },
      });
  }
}

export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [`email:${email}`]));
}
