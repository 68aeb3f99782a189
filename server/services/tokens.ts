import { and, desc, eq, isNull, or, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { authorizeProject, memberRowOf, projectNamed, requireSessionUser, type KnownMembership } from "../access/authorize";
import { inTransaction, type ServiceContext } from "../context";
import { randomSecret, sha256 } from "../crypto";
import type { Database } from "../db/client";
import { accessTokens, projectMembers, projects, users } from "../db/schema";
import { notFound, parseInput, unauthenticated } from "../errors";
import { recordAudit } from "./audit";
import { slugField, uuidField } from "./fields";

const SECRET_PREFIX = "cairn_";

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token").max(100, "Name must be at most 100 characters"),
  expiresInDays: z.number({ error: "Choose an expiry" }).int().min(1, "Expiry must be at least 1 day").max(3650, "Expiry must be at most 10 years").nullable(),
  projectSlug: slugField.optional(),
  readOnly: z.boolean().default(false),
});

const tokenColumns = {
  id: accessTokens.id,
  name: accessTokens.name,
  prefix: accessTokens.prefix,
  readOnly: accessTokens.readOnly,
  expiresAt: accessTokens.expiresAt,
  lastUsedAt: accessTokens.lastUsedAt,
  revokedAt: accessTokens.revokedAt,
  createdAt: accessTokens.createdAt,
  projectSlug: projects.slug,
};

/**
 * Issues a personal access token for the signed-in user. The secret is returned once and only its
 * hash is stored. A token restricted to a project requires membership of that project.
 */
export async function createToken({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof createTokenInput> }) {
  const actor = requireSessionUser(ctx);
  const data = parseInput(createTokenInput, input);
  const project = data.projectSlug ? (await authorizeProject(ctx, data.projectSlug, "project.read")).project : null;
  return issueToken(ctx, actor.user.id, { ...data, projectId: project?.id ?? null });
}

/** Issues a token for `userId` (used by createToken and the operator CLI). */
export async function issueToken(
  ctx: ServiceContext,
  userId: string,
  data: { name: string; expiresInDays: number | null; projectId: string | null; readOnly: boolean },
) {
  const secret = SECRET_PREFIX + randomSecret(30);
  const expiresAt = data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null;
  return inTransaction(ctx, async (tx) => {
    const [token] = await tx.db
      .insert(accessTokens)
      .values({
        userId,
        name: data.name,
        prefix: secret.slice(0, SECRET_PREFIX.length + 6),
        secretHash: sha256(secret),
        projectId: data.projectId,
        readOnly: data.readOnly,
        expiresAt,
      })
      .returning({ id: accessTokens.id, name: accessTokens.name, prefix: accessTokens.prefix, expiresAt: accessTokens.expiresAt });
    await recordAudit(tx, {
      action: "token.create",
      target: { type: "token", id: token!.id },
      after: { name: data.name, userId, projectId: data.projectId, readOnly: data.readOnly, expiresAt },
    });
    return { token: token!, secret };
  });
}

/** The signed-in user's tokens, newest first, never with their secrets. */
export async function listMyTokens({ ctx }: { ctx: ServiceContext }) {
  const actor = requireSessionUser(ctx);
  return ctx.db
    .select(tokenColumns)
    .from(accessTokens)
    .leftJoin(projects, eq(projects.id, accessTokens.projectId))
    .where(eq(accessTokens.userId, actor.user.id))
    .orderBy(desc(accessTokens.createdAt));
}

export const revokeTokenInput = z.object({ tokenId: uuidField });

export async function revokeToken({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof revokeTokenInput> }) {
  const actor = requireSessionUser(ctx);
  const { tokenId } = parseInput(revokeTokenInput, input);
  return inTransaction(ctx, async (tx) => {
    const [token] = await tx.db
      .update(accessTokens)
      .set({ revokedAt: sql`coalesce(${accessTokens.revokedAt}, now())` })
      .where(and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, actor.user.id)))
      .returning({ id: accessTokens.id, name: accessTokens.name });
    if (!token) throw notFound("Token not found");
    await recordAudit(tx, { action: "token.revoke", target: { type: "token", id: token.id }, before: { name: token.name } });
  });
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Turns a presented secret into an actor, or UNAUTHENTICATED with the reason (unknown, revoked,
 * expired, disabled account). Records when the token was last used, at most once a minute. With
 * `projectSlug`, the token owner's membership of that project is read in the same query.
 */
export async function authenticateToken(db: Database, secret: string, projectSlug?: string): Promise<{ actor: Actor; known?: KnownMembership }> {
  const [row] = await db
    .select({
      id: accessTokens.id,
      name: accessTokens.name,
      projectId: accessTokens.projectId,
      readOnly: accessTokens.readOnly,
      expiresAt: accessTokens.expiresAt,
      revokedAt: accessTokens.revokedAt,
      lastUsedAt: accessTokens.lastUsedAt,
      user: { id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin, disabledAt: users.disabledAt },
      project: projects,
      role: projectMembers.role,
    })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .leftJoin(projects, projectSlug === undefined ? sql`false` : projectNamed(projectSlug))
    .leftJoin(projectMembers, memberRowOf(users.id))
    .where(eq(accessTokens.secretHash, sha256(secret)));
  if (!row) throw unauthenticated("Invalid access token");
  if (row.revokedAt) throw unauthenticated("This access token has been revoked");
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw unauthenticated(`This access token expired on ${row.expiresAt.toISOString().slice(0, 10)}`);
  }
  if (row.user.disabledAt) throw unauthenticated("The account that owns this access token is disabled");
  // Checked here first so that a busy client (a request every few milliseconds) costs no write at all.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(accessTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(accessTokens.id, row.id),
          or(isNull(accessTokens.lastUsedAt), lt(accessTokens.lastUsedAt, sql`now() - ${LAST_USED_RESOLUTION_MS} * interval '1 millisecond'`)),
        ),
      );
  }
  const { disabledAt: _, ...user } = row.user;
  const actor: Actor = { kind: "user", via: "token", user, token: { id: row.id, name: row.name, projectId: row.projectId, readOnly: row.readOnly } };
  if (projectSlug === undefined) return { actor };
  return { actor, known: { slug: projectSlug, membership: row.project && row.role ? { project: row.project, role: row.role } : null } };
}

/** Reads a token from `Authorization: Bearer <token>` or HTTP basic auth with the token as password. */
export function tokenFromAuthorization(header: string | null): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme!)) return value;
  if (/^basic$/i.test(scheme!)) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}
