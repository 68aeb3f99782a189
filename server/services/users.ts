import { and, asc, count, eq, gt, ilike, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { systemActor, type ActorUser } from "../access/actor";
import { requireSessionUser } from "../access/authorize";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../auth/passwords";
import { createServiceContext, inTransaction, type ServiceContext } from "../context";
import type { Database } from "../db/client";
import { invitations, oidcIdentities, passwordResets, users } from "../db/schema";
import { conflict, invalid, isUniqueViolation, notFound, parseInput } from "../errors";
import { recordAudit } from "./audit";
import { emailField, passwordField, personNameField, uuidField } from "./fields";
import { assertNotThrottled, clearSignInFailures, recordThrottledAttempt } from "./sign-in-throttle";

export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  isAdmin: users.isAdmin,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
};

export const createUserInput = z.object({
  email: emailField,
  name: personNameField,
  password: passwordField,
  isAdmin: z.boolean().default(false),
});

/** Inserts a user; a taken e-mail is a field-level conflict. Call inside the caller's transaction. */
export async function insertUser(ctx: ServiceContext, input: z.output<typeof createUserInput>) {
  try {
    const [user] = await ctx.db
      .insert(users)
      .values({ email: input.email, name: input.name, isAdmin: input.isAdmin, passwordHash: await hashPassword(input.password) })
      .returning(userColumns);
    await recordAudit(ctx, {
      action: "user.create",
      target: { type: "user", id: user!.id },
      after: { email: user!.email, name: user!.name, isAdmin: user!.isAdmin },
    });
    return user!;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("A user with this e-mail already exists", { email: "A user with this e-mail already exists" });
    throw error;
  }
}

/** Creates a user (administrators and the CLI). */
export async function createUser({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof createUserInput> }) {
  const data = parseInput(createUserInput, input);
  return inTransaction(ctx, (tx) => insertUser(tx, data));
}

export async function needsSetup(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

export const setupInput = createUserInput.omit({ isAdmin: true });

/**
 * Creates the first administrator. Serialised by a transaction-scoped advisory lock, so two
 * set-up forms submitted at once cannot both succeed.
 */
export async function setupFirstAdmin({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof setupInput> }) {
  const data = parseInput(setupInput, input);
  return inTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(${0x73657475})`);
    if (!(await needsSetup(tx.db))) throw conflict("Cairn is already set up; sign in instead");
    return insertUser(tx, { ...data, isAdmin: true });
  });
}

export const passwordSignInInput = z.object({ email: emailField, password: z.string().min(1, "Enter your password").max(200) });

/**
 * Checks an e-mail and password for browser sign-in, throttled per e-mail and per client address.
 * Returns the user, or throws `invalid` with one message for every kind of mismatch.
 */
export async function authenticatePassword(db: Database, input: unknown, address: string | null): Promise<ActorUser> {
  const { email, password } = parseInput(passwordSignInInput, input);
  const keys = { email, address };
  await assertNotThrottled(db, keys);
  const [user] = await db
    .select({ ...userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!ok || !user || user.disabledAt) {
    await recordThrottledAttempt(db, keys);
    throw invalid(user?.disabledAt && ok ? "This account is disabled" : "Wrong e-mail or password");
  }
  await clearSignInFailures(db, email);
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin };
}

export type OidcIdentity = {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
};

/** Why an OIDC sign-in was refused, as shown on the sign-in page. */
export type OidcRefusal = "no-email" | "not-invited" | "disabled" | "unverified";

/**
 * Maps an identity from the OIDC provider to a Cairn user. A known identity signs in; a verified
 * e-mail that matches a user links to it; a new person is created only if their verified domain is
 * allow-listed or an open invitation names their e-mail.
 */
export async function resolveOidcSignIn(
  db: Database,
  identity: OidcIdentity,
  allowedDomains: readonly string[],
): Promise<{ user: ActorUser } | { refused: OidcRefusal }> {
  return db.transaction(async (tx) => {
    const [linked] = await tx
      .select(userColumns)
      .from(oidcIdentities)
      .innerJoin(users, eq(users.id, oidcIdentities.userId))
      .where(and(eq(oidcIdentities.issuer, identity.issuer), eq(oidcIdentities.subject, identity.subject)));
    let user = linked;
    if (!user) {
      const email = identity.email ? emailField.safeParse(identity.email) : null;
      if (!email?.success) return { refused: "no-email" as const };
      if (!identity.emailVerified) return { refused: "unverified" as const };
      [user] = await tx.select(userColumns).from(users).where(eq(users.email, email.data));
      if (!user) {
        const domain = email.data.split("@")[1]!;
        const invited = await hasOpenInvitation(tx, email.data);
        if (!allowedDomains.includes(domain) && !invited) return { refused: "not-invited" as const };
        [user] = await tx
          .insert(users)
          .values({ email: email.data, name: identity.name?.trim() || email.data.split("@")[0]! })
          .returning(userColumns);
        await recordAudit(createServiceContext(systemActor("oidc sign-in"), tx), {
          action: "user.create",
          target: { type: "user", id: user!.id },
          after: { email: user!.email, via: "oidc" },
        });
      }
      await tx.insert(oidcIdentities).values({ issuer: identity.issuer, subject: identity.subject, userId: user!.id });
    }
    if (user!.disabledAt) return { refused: "disabled" as const };
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user!.id));
    return { user: { id: user!.id, email: user!.email, name: user!.name, isAdmin: user!.isAdmin } };
  });
}

async function hasOpenInvitation(db: Database, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
    .limit(1);
  return rows.length > 0;
}

/** The user behind a browser session, if the session is still valid (not disabled, not signed out everywhere). */
export async function loadSessionUser(db: Database, userId: string, sessionVersion: number): Promise<ActorUser | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion), isNull(users.disabledAt)));
  return user ?? null;
}

/** The current session version, embedded in each session at sign-in. */
export async function sessionVersionOf(db: Database, userId: string): Promise<number | null> {
  const [user] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return user?.v ?? null;
}

/** Ends every browser session of the signed-in user, this one included. */
export async function signOutEverywhere({ ctx }: { ctx: ServiceContext }) {
  const actor = requireSessionUser(ctx);
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, actor.user.id));
    await recordAudit(tx, { action: "user.sign_out_everywhere", target: { type: "user", id: actor.user.id } });
  });
}

export const updateProfileInput = z.object({ name: personNameField });

export async function updateProfile({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof updateProfileInput> }) {
  const actor = requireSessionUser(ctx);
  const { name } = parseInput(updateProfileInput, input);
  await inTransaction(ctx, async (tx) => {
    await tx.db.update(users).set({ name }).where(eq(users.id, actor.user.id));
    await recordAudit(tx, { action: "user.update", target: { type: "user", id: actor.user.id }, before: { name: actor.user.name }, after: { name } });
  });
}

export const changePasswordInput = z.object({
  currentPassword: z.string().max(200),
  newPassword: passwordField,
});

/** Changes the signed-in user's password; accounts created through OIDC may set a first one. */
export async function changePassword({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof changePasswordInput> }) {
  const actor = requireSessionUser(ctx);
  const data = parseInput(changePasswordInput, input);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.user.id)).for("update");
    if (row?.hash && !(await verifyPassword(row.hash, data.currentPassword))) {
      throw invalid("Current password is wrong", { currentPassword: "Current password is wrong" });
    }
    await tx.db
      .update(users)
      .set({ passwordHash: await hashPassword(data.newPassword) })
      .where(eq(users.id, actor.user.id));
    await recordAudit(tx, { action: "user.change_password", target: { type: "user", id: actor.user.id } });
  });
}

/**
 * Gives a user a new password after they lost theirs: every browser session of theirs ends, their
 * open reset links stop working and earlier failed sign-ins are forgotten. Call inside the caller's
 * transaction, which also writes the audit row.
 */
export async function replaceLostPassword(ctx: ServiceContext, user: { id: string; email: string }, passwordHash: string): Promise<void> {
  await ctx.db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, user.id));
  await ctx.db
    .update(passwordResets)
    .set({ expiresAt: sql`now()` })
    .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)));
  await clearSignInFailures(ctx.db, user.email);
}

export const setUserPasswordInput = z.object({ userId: uuidField, password: passwordField });

/**
 * An administrator (or the operator CLI) sets a new password for someone who lost theirs; it ends
 * that person's sessions. Administrators change their own password under Account instead, which
 * keeps them signed in.
 */
export async function setUserPassword({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof setUserPasswordInput> }) {
  const { userId, password } = parseInput(setUserPasswordInput, input);
  if (ctx.actor.kind === "user" && ctx.actor.user.id === userId) {
    throw invalid("Change your own password under Account", { password: "Change your own password under Account" });
  }
  const passwordHash = await hashPassword(password);
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select(userColumns).from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw notFound("User not found");
    await replaceLostPassword(tx, user, passwordHash);
    await recordAudit(tx, { action: "user.set_password", target: { type: "user", id: user.id }, after: { email: user.email } });
    return user;
  });
}

export const listUsersInput = z.object({
  query: z.string().trim().max(100).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Users of the instance, for administrators, filtered by e-mail or name. */
export async function listUsers({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof listUsersInput> }) {
  const { query, offset, limit } = parseInput(listUsersInput, input);
  const pattern = query ? `%${query.replace(/[\\%_]/g, "\\$&")}%` : undefined;
  const where = pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined;
  const [rows, [total]] = await Promise.all([
    ctx.db.select(userColumns).from(users).where(where).orderBy(asc(users.email)).offset(offset).limit(limit),
    ctx.db.select({ n: count() }).from(users).where(where),
  ]);
  return { users: rows, total: total?.n ?? 0 };
}

export const setUserFlagInput = z.object({ userId: uuidField, value: z.boolean() });

/** Disables or re-enables a user: a disabled user's sessions and tokens stop working at once. */
export async function setUserDisabled({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof setUserFlagInput> }) {
  const { userId, value } = parseInput(setUserFlagInput, input);
  const actor = requireSessionUser(ctx);
  if (userId === actor.user.id && value) throw invalid("You cannot disable your own account");
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .update(users)
      .set({ disabledAt: value ? new Date() : null, sessionVersion: sql`${users.sessionVersion} + ${value ? 1 : 0}` })
      .where(eq(users.id, userId))
      .returning(userColumns);
    if (!user) throw notFound("User not found");
    await recordAudit(tx, {
      action: value ? "user.disable" : "user.enable",
      target: { type: "user", id: userId },
      after: { email: user.email },
    });
    return user;
  });
}

/** Grants or removes instance administration; the last administrator cannot be removed. */
export async function setUserAdmin({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof setUserFlagInput> }) {
  const { userId, value } = parseInput(setUserFlagInput, input);
  return inTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`select id from users where is_admin for update`);
    if (!value) {
      const [others] = await tx.db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.isAdmin, true), ne(users.id, userId), isNull(users.disabledAt)));
      if ((others?.n ?? 0) === 0) throw conflict("Cairn needs at least one active administrator");
    }
    const [user] = await tx.db.update(users).set({ isAdmin: value }).where(eq(users.id, userId)).returning(userColumns);
    if (!user) throw notFound("User not found");
    await recordAudit(tx, {
      action: value ? "user.grant_admin" : "user.revoke_admin",
      target: { type: "user", id: userId },
      after: { email: user.email, isAdmin: value },
    });
    return user;
  });
}

/** The oldest enabled administrator (usually whoever set Cairn up), or null on an instance without one. */
export async function firstAdministrator(db: Database) {
  const [user] = await db
    .select(userColumns)
    .from(users)
    .where(and(eq(users.isAdmin, true), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt), asc(users.email))
    .limit(1);
  return user ?? null;
}

export async function findUserByEmail(db: Database, email: string) {
  const [user] = await db.select(userColumns).from(users).where(eq(users.email, email));
  return user ?? null;
}
