import { and, count, desc, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { requireSessionUser, requireUser } from "../../access/authorize";
import type { UserActor } from "../../access/actor";
import { inTransaction, type ServiceContext } from "../../context";
import { notifications, projectMembers, projects, users } from "../../db/schema";
import { env } from "../../env.js";
import { notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { uuidField } from "../fields";

/**
 * Whose rows the caller sees: always only their own, in projects they are still a member of (a
 * person who left a project no longer reads what happens there), and for a token restricted to a
 * project, only that project's.
 */
function inboxScope(actor: UserActor): SQL {
  const scope = and(
    eq(notifications.userId, actor.user.id),
    sql`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${notifications.projectId} and ${projectMembers.userId} = ${notifications.userId})`,
  )!;
  if (actor.via === "token" && actor.token.projectId) return and(scope, eq(notifications.projectId, actor.token.projectId))!;
  return scope;
}

export const inboxInput = z
  .object({
    unreadOnly: z.boolean().default(false),
    /** The last notification of the previous page. */
    cursor: uuidField.optional(),
    limit: z.number().int().min(1).max(100).default(30),
  })
  .default({ unreadOnly: false, limit: 30 });

export type InboxItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** A path inside Cairn. */
  url: string;
  actorLabel: string | null;
  createdAt: Date;
  readAt: Date | null;
  project: { slug: string; name: string };
};

/** The signed-in person's notifications across their projects, newest first, a page at a time. */
export async function listInbox({ ctx, input }: { ctx: ServiceContext; input?: z.input<typeof inboxInput> }) {
  const actor = requireUser(ctx);
  const { unreadOnly, cursor, limit } = parseInput(inboxInput, input);
  // Keyset over (created_at, id), read from the cursor row itself so no precision is lost.
  const after = cursor
    ? ctx.db
        .select({ createdAt: notifications.createdAt, id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.id, cursor), eq(notifications.userId, actor.user.id)))
        .as("after")
    : undefined;
  const base = ctx.db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      url: notifications.url,
      actorLabel: notifications.actorLabel,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      projectSlug: projects.slug,
      projectName: projects.name,
    })
    .from(notifications)
    .innerJoin(projects, eq(projects.id, notifications.projectId));
  const rows = await (after ? base.innerJoin(after, sql`true`) : base)
    .where(
      and(
        inboxScope(actor),
        unreadOnly ? isNull(notifications.readAt) : undefined,
        after ? or(lt(notifications.createdAt, after.createdAt), and(eq(notifications.createdAt, after.createdAt), lt(notifications.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const items: InboxItem[] = rows
    .slice(0, limit)
    .map(({ projectSlug, projectName, ...row }) => ({ ...row, project: { slug: projectSlug, name: projectName } }));
  return { items, nextCursor: more ? items.at(-1)!.id : null };
}

/** Counting stops here: a badge shows "99+", and the count stays one short index scan. */
const UNREAD_CAP = 99;

/** How many unread notifications the signed-in person has (at most UNREAD_CAP, with `more` beyond). */
export async function unreadCount({ ctx }: { ctx: ServiceContext }) {
  const actor = requireUser(ctx);
  const unread = ctx.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(inboxScope(actor), isNull(notifications.readAt)))
    .limit(UNREAD_CAP + 1)
    .as("unread");
  const [row] = await ctx.db.select({ n: count() }).from(unread);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, UNREAD_CAP), more: n > UNREAD_CAP };
}

export const markReadInput = z.object({ notificationId: uuidField });

/** Marks one of my notifications read (again is fine); someone else's is not found. */
export async function markRead({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof markReadInput> }) {
  const actor = requireUser(ctx);
  const { notificationId } = parseInput(markReadInput, input);
  const [row] = await ctx.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, actor.user.id)))
    .returning({ id: notifications.id, readAt: notifications.readAt });
  if (!row) throw notFound("Notification not found");
  return row;
}

/** Marks every unread notification of mine read. */
export async function markAllRead({ ctx }: { ctx: ServiceContext }) {
  const actor = requireUser(ctx);
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, actor.user.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}

/** My notification settings, and whether this server can send e-mail at all. */
export async function getPreferences({ ctx }: { ctx: ServiceContext }) {
  const actor = requireUser(ctx);
  const [row] = await ctx.db.select({ emailNotifications: users.emailNotifications }).from(users).where(eq(users.id, actor.user.id));
  return { emailNotifications: row?.emailNotifications ?? false, emailAvailable: Boolean(env().CAIRN_SMTP_URL) };
}

export const preferencesInput = z.object({ emailNotifications: z.boolean() });

/** Turns e-mail copies of my notifications on or off (the inbox keeps them either way). */
export async function setPreferences({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof preferencesInput> }) {
  const actor = requireSessionUser(ctx);
  const { emailNotifications } = parseInput(preferencesInput, input);
  await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select({ emailNotifications: users.emailNotifications }).from(users).where(eq(users.id, actor.user.id)).for("update");
    if (before?.emailNotifications === emailNotifications) return;
    await tx.db.update(users).set({ emailNotifications }).where(eq(users.id, actor.user.id));
    await recordAudit(tx, { action: "user.update", target: { type: "user", id: actor.user.id }, before, after: { emailNotifications } });
  });
  return getPreferences({ ctx });
}
