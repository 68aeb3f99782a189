import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { hashPassword } from "../auth/passwords";
import { inTransaction, type ServiceContext } from "../context";
import { randomSecret, sha256 } from "../crypto";
import { passwordResets, users } from "../db/schema";
import { env } from "../env.js";
import { conflict, forbidden, notFound, parseInput } from "../errors";
import { recordAudit } from "./audit";
import { queueEmails } from "./email-outbox";
import { emailField, passwordField } from "./fields";
import { assertNotThrottled, PASSWORD_RESET_REQUEST, recordThrottledAttempt } from "./sign-in-throttle";
import { replaceLostPassword } from "./users";

export const RESET_LINK_MINUTES = 60;

/**
 * Self-service reset needs e-mail, and CAIRN_PUBLIC_URL: a link built from the request's Host
 * header would carry the secret to whatever host the requester named (reset-link poisoning).
 */
export function passwordResetAvailable(): boolean {
  const config = env();
  return Boolean(config.CAIRN_SMTP_URL && config.CAIRN_PUBLIC_URL);
}

const openReset = (userId: string) => and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`));

export const requestPasswordResetInput = z.object({ email: emailField });

/**
 * E-mails a single-use link to choose a new password, valid for an hour, if the address belongs to
 * an active account; it replaces any earlier link. The caller learns nothing about the address: the
 * reply is the same, requests are throttled per e-mail and per client address whether or not it exists,
 * and the e-mail only leaves later, from the job queue (the form also evens out response times).
 * Sent even to people who turned notification e-mails off.
 */
export async function requestPasswordReset({
  ctx,
  input,
  address,
}: {
  ctx: ServiceContext;
  input: z.input<typeof requestPasswordResetInput>;
  address: string | null;
}) {
  if (!passwordResetAvailable()) throw forbidden("Password reset by e-mail is not set up here; ask an administrator to set a new password");
  const { email } = parseInput(requestPasswordResetInput, input);
  const keys = { email, address };
  const token = randomSecret(32);
  // The throttle counts in the same transaction: one commit either way, known address or not.
  await inTransaction(ctx, async (tx) => {
    await assertNotThrottled(tx.db, keys, PASSWORD_RESET_REQUEST);
    await recordThrottledAttempt(tx.db, keys, PASSWORD_RESET_REQUEST);
    // Locking the person's row serialises two requests, so exactly one link stays open.
    const [user] = await tx.db.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.email, email)).for("update");
    if (!user || user.disabledAt) return;
    await tx.db
      .update(passwordResets)
      .set({ expiresAt: sql`now()` })
      .where(openReset(user.id));
    await tx.db.insert(passwordResets).values({
      userId: user.id,
      tokenHash: sha256(token),
      expiresAt: sql`now() + make_interval(mins => ${RESET_LINK_MINUTES})`,
      requestedFrom: address,
    });
    // From the configuration only, never the request (see passwordResetAvailable).
    const link = new URL(`/reset-password?token=${token}`, env().CAIRN_PUBLIC_URL).href;
    await queueEmails(tx, [{ to: email, subject: "Reset your Cairn password", text: resetEmailText(email, link) }]);
  });
}

function resetEmailText(email: string, link: string): string {
  return [
    `Someone asked to reset the password of the Cairn account ${email}.`,
    "",
    `To choose a new password, open this link within ${RESET_LINK_MINUTES} minutes. It works once:`,
    link,
    "",
    "If you did not ask for this, ignore this e-mail: your password stays as it is.",
    "",
  ].join("\n");
}

/** Any text from the address bar: one that cannot be a token is simply not a valid link. */
export const resetLinkInput = z.object({ token: z.string() });
const tokenField = z.string().max(200);

export type ResetLinkStatus = "open" | "expired" | "used" | "invalid";

async function findReset(ctx: ServiceContext, token: string) {
  const [row] = await ctx.db
    .select({ usedAt: passwordResets.usedAt, expired: sql<boolean>`${passwordResets.expiresAt} <= now()`, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, sha256(token)));
  if (!row) return { status: "invalid" as const };
  if (row.usedAt) return { status: "used" as const };
  if (row.expired) return { status: "expired" as const };
  return { status: "open" as const, email: row.email };
}

/** What the reset page shows before the new password is chosen (the e-mail only for an open link). */
export async function passwordResetStatus({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: z.input<typeof resetLinkInput>;
}): Promise<{ status: ResetLinkStatus; email?: string }> {
  const { token } = parseInput(resetLinkInput, input);
  return tokenField.safeParse(token).success ? findReset(ctx, token) : { status: "invalid" };
}

const closedLink = {
  used: () => conflict("This reset link has already been used. Request a new one if you still need it."),
  expired: () => conflict("This reset link has expired or was replaced by a newer one. Request a new one."),
  invalid: () => notFound("This reset link is not valid. Request a new one."),
};

export const completePasswordResetInput = z.object({ token: tokenField, password: passwordField });

/**
 * Sets the new password chosen through a reset link. The link is consumed by one conditional
 * UPDATE, so it works once even when submitted twice at the same moment; the person's sessions end.
 */
export async function completePasswordReset({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof completePasswordResetInput> }) {
  const { token, password } = parseInput(completePasswordResetInput, input);
  const passwordHash = await hashPassword(password);
  return inTransaction(ctx, async (tx) => {
    const [reset] = await tx.db
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning({ userId: passwordResets.userId, requestedFrom: passwordResets.requestedFrom });
    if (!reset) {
      const { status } = await findReset(tx, token);
      throw closedLink[status === "open" ? "used" : status]();
    }
    const [user] = await tx.db
      .select({ id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.id, reset.userId))
      .for("update");
    if (user!.disabledAt) throw forbidden("This account is disabled; ask an administrator");
    await replaceLostPassword(tx, user!, passwordHash);
    // The holder of the link proved they read the person's mailbox: the audit names that person.
    const asPerson = {
      ...tx,
      actor: { kind: "user" as const, via: "session" as const, user: { id: user!.id, email: user!.email, name: user!.name, isAdmin: user!.isAdmin } },
    };
    await recordAudit(asPerson, {
      action: "user.reset_password",
      target: { type: "user", id: user!.id },
      after: { email: user!.email, requestedFrom: reset.requestedFrom },
    });
    return { email: user!.email };
  });
}
