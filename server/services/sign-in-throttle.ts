import { inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { signInThrottle } from "../db/schema";
import { rateLimited } from "../errors";

const WINDOW_MINUTES = 15;

/**
 * What is counted, under which key prefix, and how many attempts per e-mail and per client address a
 * window allows. Each policy has its own keys, so asking for reset links never blocks signing in.
 */
export type ThrottlePolicy = { prefix: string; limits: { email: number; address: number }; refusal: string };

/** Failed password sign-ins. */
const SIGN_IN: ThrottlePolicy = { prefix: "", limits: { email: 5, address: 50 }, refusal: "Too many failed sign-in attempts." };

/** Every request for a password-reset e-mail (whether or not the address has an account). */
export const PASSWORD_RESET_REQUEST: ThrottlePolicy = {
  prefix: "reset:",
  limits: { email: 3, address: 20 },
  refusal: "Too many password reset requests.",
};

export type ThrottleKeys = { email: string; address: string | null };

function keysOf(k: ThrottleKeys, policy: ThrottlePolicy) {
  return [
    { key: `${policy.prefix}email:${k.email}`, limit: policy.limits.email },
    ...(k.address ? [{ key: `${policy.prefix}address:${k.address}`, limit: policy.limits.address }] : []),
  ];
}

/** Refuses the attempt before the password is even checked while the e-mail or address is blocked. */
export async function assertNotThrottled(db: Database, keys: ThrottleKeys, policy = SIGN_IN): Promise<void> {
  const rows = await db
    .select({ blockedUntil: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(
      inArray(
        signInThrottle.key,
        keysOf(keys, policy).map((k) => k.key),
      ),
    );
  const until = rows.map((r) => r.blockedUntil?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
  if (until > Date.now()) {
    const seconds = Math.ceil((until - Date.now()) / 1000);
    throw rateLimited(`${policy.refusal} Try again in ${Math.ceil(seconds / 60)} minute(s).`, seconds);
  }
}

/** Counts an attempt; reaching the limit within the window blocks further attempts for a window. */
export async function recordThrottledAttempt(db: Database, keys: ThrottleKeys, policy = SIGN_IN): Promise<void> {
  for (const { key, limit } of keysOf(keys, policy)) {
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

/** Forgets an e-mail's failed sign-ins (after a successful one, or a new password). */
export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [`${SIGN_IN.prefix}email:${email}`]));
}
