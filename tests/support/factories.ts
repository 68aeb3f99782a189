import { randomBytes } from "node:crypto";
import { systemActor, type Actor, type ActorUser } from "../../server/access/actor";
import type { Role } from "../../server/access/permissions";
import { createCaller } from "../../server/api/root";
import { createTrpcContext } from "../../server/api/trpc";
import { createServiceContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { comments, notifications, projectMembers, users } from "../../server/db/schema";
import { hashPassword } from "../../server/auth/passwords";
import { insertProject } from "../../server/services/projects";
import { issueToken } from "../../server/services/tokens";

export const PASSWORD = "correct horse battery";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export const system = () => createServiceContext(systemActor("test"));

// argon2 is slow by design; every factory user shares one hash of PASSWORD.
let passwordHash: Promise<string> | undefined;

/** A user who can sign in with PASSWORD (inserted directly: factories are test data, not audited). */
export async function makeUser(overrides: { email?: string; name?: string; isAdmin?: boolean } = {}): Promise<ActorUser> {
  const email = overrides.email ?? `${unique("user")}@example.com`;
  passwordHash ??= hashPassword(PASSWORD);
  const [user] = await getDb()
    .insert(users)
    .values({ email, name: overrides.name ?? email.split("@")[0]!, isAdmin: overrides.isAdmin ?? false, passwordHash: await passwordHash })
    .returning();
  return { id: user!.id, email: user!.email, name: user!.name, isAdmin: user!.isAdmin };
}

export const sessionOf = (user: ActorUser): Actor => ({ kind: "user", via: "session", user });

export async function tokenActorOf(user: ActorUser, scope: { projectId?: string | null; readOnly?: boolean } = {}): Promise<{ actor: Actor; secret: string }> {
  const { token, secret } = await issueToken(system(), user.id, {
    name: unique("token"),
    expiresInDays: 30,
    projectId: scope.projectId ?? null,
    readOnly: scope.readOnly ?? false,
  });
  return {
    secret,
    actor: {
      kind: "user",
      via: "token",
      user,
      token: { id: token.id, name: token.name, projectId: scope.projectId ?? null, readOnly: scope.readOnly ?? false },
    },
  };
}

export async function makeProject(owner: ActorUser, slug = unique("proj")) {
  return insertProject(system(), { slug, name: `Project ${slug}` }, owner.id);
}

export async function addMember(projectId: string, user: ActorUser, role: Role) {
  await getDb().insert(projectMembers).values({ projectId, userId: user.id, role });
}

/** A comment by `authorId` on a run (inserted directly, as test data). */
export async function makeComment(projectId: string, runId: string, authorId: string, body = "A comment") {
  const [row] = await getDb().insert(comments).values({ projectId, subjectType: "run", subjectId: runId, authorId, body }).returning({ id: comments.id });
  return row!.id;
}

/** An unread notification in `userId`'s inbox (inserted directly, as test data). */
export async function makeNotification(userId: string, projectId: string, title = "Something happened", createdAt = new Date()) {
  const [row] = await getDb()
    .insert(notifications)
    .values({ userId, projectId, kind: "mention", title, url: "/", createdAt })
    .returning({ id: notifications.id });
  return row!.id;
}

/** A tRPC caller acting as `actor`, through the real router and middleware; each call is a new request. */
export const callerFor = (actor: Actor) => createCaller(() => createTrpcContext(actor));

/** The tRPC error code a call fails with, or "OK". */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return code;
  }
}

/** A project owned by a fresh user, and a context admitted into it with `permission`. */
export async function projectContext(permission: import("../../server/access/permissions").Permission = "run.write") {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const { authorizeProject } = await import("../../server/access/authorize");
  const { createServiceContext } = await import("../../server/context");
  const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, permission);
  return { owner, project, ctx };
}
