import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { actorDisplayName } from "../access/actor";
import { requireSessionUser } from "../access/authorize";
import { createServiceContext, inTransaction, type ProjectContext, type ServiceContext } from "../context";
import { randomSecret, sha256 } from "../crypto";
import { invitations, projectMembers, projects, users } from "../db/schema";
import { env } from "../env.js";
import { conflict, forbidden, notFound, parseInput } from "../errors";
import { recordAudit } from "./audit";
import { queueEmails } from "./email-outbox";
import { emailField, passwordField, personNameField, roleField, uuidField } from "./fields";
import { absoluteUrl } from "./links";
import { insertUser } from "./users";

const DEFAULT_EXPIRY_DAYS = 7;

export const createInvitationInput = z.object({
  email: emailField,
  role: roleField,
  expiresInDays: z.number().int().min(1).max(90).default(DEFAULT_EXPIRY_DAYS),
});

/**
 * Invites an e-mail address into the project with a role. Returns the one-time secret for the link,
 * which is also e-mailed to the address when SMTP is configured (`emailed`); inviting the same
 * address again replaces the earlier, still open invitation.
 */
export async function createInvitation({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createInvitationInput> }) {
  const data = parseInput(createInvitationInput, input);
  return inTransaction(ctx, async (tx) => {
    const [existing] = await tx.db
      .select({ userId: users.id })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(and(eq(projectMembers.projectId, ctx.project.id), eq(users.email, data.email)));
    if (existing) throw conflict(`${data.email} is already a member`, { email: "Already a member of this project" });

    await tx.db
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.projectId, ctx.project.id), eq(invitations.email, data.email), openInvitation()));
    const secret = randomSecret(24);
    const actor = requireSessionUser(tx);
    const [invitation] = await tx.db
      .insert(invitations)
      .values({
        projectId: ctx.project.id,
        email: data.email,
        role: data.role,
        secretHash: sha256(secret),
        invitedBy: actor.user.id,
        expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000),
      })
      .returning({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt });
    await recordAudit(tx, {
      project: ctx.project,
      action: "invitation.create",
      target: { type: "invitation", id: invitation!.id },
      after: { email: data.email, role: data.role },
    });
    const emailed = Boolean(env().CAIRN_SMTP_URL);
    if (emailed) {
      const link = absoluteUrl(tx, `/invite/${secret}`);
      const text = invitationEmailText({ inviter: actorDisplayName(actor), project: ctx.project.name, role: data.role, link, days: data.expiresInDays });
      await queueEmails(tx, [{ to: data.email, subject: `[Cairn ${ctx.project.slug}] You are invited to ${ctx.project.name}`, text }]);
    }
    return { invitation: invitation!, secret, emailed };
  });
}

function invitationEmailText(i: { inviter: string; project: string; role: string; link: string; days: number }): string {
  return [
    `${i.inviter} invites you to the Cairn project ${i.project}, as ${i.role}.`,
    "",
    `To join, open this link within ${i.days} days. It works once, for this e-mail address:`,
    i.link,
    "",
  ].join("\n");
}

function openInvitation() {
  return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
}

/** Invitations not yet accepted or revoked (expired ones included, flagged by their date). */
export async function listInvitations({ ctx }: { ctx: ProjectContext }) {
  return ctx.db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      invitedBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.projectId, ctx.project.id), openInvitation()))
    .orderBy(desc(invitations.createdAt));
}

export const revokeInvitationInput = z.object({ invitationId: uuidField });

export async function revokeInvitation({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof revokeInvitationInput> }) {
  const { invitationId } = parseInput(revokeInvitationInput, input);
  return inTransaction(ctx, async (tx) => {
    const [invitation] = await tx.db
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.id, invitationId), eq(invitations.projectId, ctx.project.id), openInvitation()))
      .returning({ id: invitations.id, email: invitations.email });
    if (!invitation) throw notFound("Invitation not found or no longer open");
    await recordAudit(tx, {
      project: ctx.project,
      action: "invitation.revoke",
      target: { type: "invitation", id: invitation.id },
      before: { email: invitation.email },
    });
  });
}

export const invitationSecretInput = z.object({ secret: z.string().min(10).max(100) });

async function findInvitation(ctx: ServiceContext, secret: string, lock: boolean) {
  const query = ctx.db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      project: { id: projects.id, slug: projects.slug, name: projects.name },
    })
    .from(invitations)
    .innerJoin(projects, eq(projects.id, invitations.projectId))
    .where(eq(invitations.secretHash, sha256(secret)));
  const [row] = lock ? await query.for("update", { of: invitations }) : await query;
  return row ?? null;
}

type InvitationStatus = "open" | "expired" | "used" | "revoked";

function statusOf(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): InvitationStatus {
  if (row.acceptedAt) return "used";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= Date.now() ? "expired" : "open";
}

const closedMessages: Record<Exclude<InvitationStatus, "open">, string> = {
  used: "This invitation has already been used",
  revoked: "This invitation was withdrawn; ask the project owner for a new one",
  expired: "This invitation has expired; ask the project owner for a new one",
};

/** What the holder of an invitation link may see before accepting it. */
export async function previewInvitation({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof invitationSecretInput> }) {
  const { secret } = parseInput(invitationSecretInput, input);
  const row = await findInvitation(ctx, secret, false);
  if (!row) throw notFound("This invitation link is not valid");
  const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, row.email));
  return {
    email: row.email,
    role: row.role,
    project: { slug: row.project.slug, name: row.project.name },
    status: statusOf(row),
    accountExists: Boolean(account),
  };
}

async function consumeInvitation(ctx: ServiceContext, secret: string, user: { id: string; email: string }) {
  const row = await findInvitation(ctx, secret, true);
  if (!row) throw notFound("This invitation link is not valid");
  const status = statusOf(row);
  if (status !== "open") throw conflict(closedMessages[status]);
  if (row.email !== user.email) {
    throw forbidden(`This invitation is for ${row.email}; you are signed in as ${user.email}`);
  }
  const [member] = await ctx.db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, row.project.id), eq(projectMembers.userId, user.id)));
  if (member) throw conflict(`You are already a member of ${row.project.name}`);
  await ctx.db.insert(projectMembers).values({ projectId: row.project.id, userId: user.id, role: row.role });
  await ctx.db
    .update(invitations)
    .set({ acceptedAt: sql`now()`, acceptedBy: user.id })
    .where(eq(invitations.id, row.id));
  await recordAudit(ctx, {
    project: row.project,
    action: "member.join",
    target: { type: "user", id: user.id },
    after: { email: user.email, role: row.role, invitation: row.id },
  });
  return { project: row.project, role: row.role };
}

/** The signed-in user accepts an invitation addressed to their e-mail. */
export async function acceptInvitation({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof invitationSecretInput> }) {
  const { secret } = parseInput(invitationSecretInput, input);
  const actor = requireSessionUser(ctx);
  return inTransaction(ctx, (tx) => consumeInvitation(tx, secret, actor.user));
}

export const signUpWithInvitationInput = invitationSecretInput.extend({ name: personNameField, password: passwordField });

/**
 * A new person creates their account from an invitation link: the account gets the invited e-mail
 * and joins the project, in one transaction.
 */
export async function signUpWithInvitation({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof signUpWithInvitationInput> }) {
  const data = parseInput(signUpWithInvitationInput, input);
  return inTransaction(ctx, async (tx) => {
    const row = await findInvitation(tx, data.secret, false);
    if (!row) throw notFound("This invitation link is not valid");
    if (statusOf(row) !== "open") throw conflict(closedMessages[statusOf(row) as Exclude<InvitationStatus, "open">]);
    const user = await insertUser(tx, { email: row.email, name: data.name, password: data.password, isAdmin: false });
    const asNewUser = createServiceContext({ kind: "user", via: "session", user: { ...user, isAdmin: false } }, tx.db);
    const joined = await consumeInvitation(asNewUser, data.secret, user);
    return { email: user.email, ...joined };
  });
}
