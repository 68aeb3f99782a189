import { and, eq, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { forbidden, notFound, unauthenticated } from "../errors";
import { memoised, type ProjectContext, type ProjectRecord, type ServiceContext } from "../context";
import { projectMembers, projects } from "../db/schema";
import type { UserActor } from "./actor";
import { ARCHIVED_PERMISSIONS, READ_ONLY_PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from "./permissions";

/** The signed-in person (by browser session or token), or UNAUTHENTICATED. */
export function requireUser(ctx: ServiceContext): UserActor {
  if (ctx.actor.kind !== "user") throw unauthenticated(ctx.actor.kind === "anonymous" ? ctx.actor.reason : undefined);
  return ctx.actor;
}

/**
 * Account-level changes (tokens, password, sessions) need the person at the browser: an access
 * token must never mint or revoke credentials, or a read-only token could escalate itself.
 */
export function requireSessionUser(ctx: ServiceContext): UserActor {
  const actor = requireUser(ctx);
  if (actor.via !== "session") throw forbidden("This action needs a browser session, not an access token");
  return actor;
}

/** An instance administrator acting through the browser. */
export function requireAdmin(ctx: ServiceContext): UserActor {
  const actor = requireSessionUser(ctx);
  if (!actor.user.isAdmin) throw forbidden("Only instance administrators may do this");
  return actor;
}

export type Membership = { project: ProjectRecord; role: Role } | null;

/** A membership already read for the project named `slug`, with the caller's token (one query, not two). */
export type KnownMembership = { slug: string; membership: Membership };

/** The project a request names. */
export const projectNamed = (slug: string): SQL => eq(projects.slug, slug);

/** The user's member row of that project: with `projectNamed`, the one way a membership is found. */
export const memberRowOf = (userId: AnyPgColumn | string): SQL => and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, userId))!;

function loadMembership(ctx: ServiceContext, actor: UserActor, slug: string): Promise<Membership> {
  return memoised(ctx, `membership:${slug}`, async () => {
    const [row] = await ctx.db
      .select({ project: projects, role: projectMembers.role })
      .from(projects)
      .innerJoin(projectMembers, memberRowOf(actor.user.id))
      .where(projectNamed(slug))
      .limit(1);
    return row ?? null;
  });
}

/** The permissions the actor holds in a project after token scope and archival are applied. */
export function effectivePermissions(actor: UserActor, membership: NonNullable<Membership>): Set<Permission> {
  let granted = [...ROLE_PERMISSIONS[membership.role]];
  if (actor.via === "token" && actor.token.readOnly) granted = granted.filter((p) => READ_ONLY_PERMISSIONS.has(p));
  if (membership.project.archivedAt) granted = granted.filter((p) => ARCHIVED_PERMISSIONS.has(p));
  return new Set(granted);
}

/**
 * Admits the actor into the project named by `slug` for `permission`, or refuses: UNAUTHENTICATED
 * for nobody, NOT_FOUND when the project is not theirs to see (members only; a token restricted to
 * another project sees nothing), FORBIDDEN when they see it but may not do this. `known` is the
 * membership the caller's token lookup read alongside the token, when it named this project.
 */
export async function authorizeProject(ctx: ServiceContext, slug: string, permission: Permission, known?: KnownMembership): Promise<ProjectContext> {
  const actor = requireUser(ctx);
  const membership = known?.slug === slug ? known.membership : await loadMembership(ctx, actor, slug);
  const outOfScope = actor.via === "token" && actor.token.projectId !== null && actor.token.projectId !== membership?.project.id;
  if (!membership || outOfScope) throw notFound(`Project '${slug}' not found`);

  if (!effectivePermissions(actor, membership).has(permission)) {
    if (membership.project.archivedAt && ROLE_PERMISSIONS[membership.role].has(permission)) {
      throw forbidden(`Project '${slug}' is archived; unarchive it to make changes`);
    }
    if (actor.via === "token" && actor.token.readOnly && ROLE_PERMISSIONS[membership.role].has(permission)) {
      throw forbidden("This access token is read-only");
    }
    throw forbidden(`Your role in '${slug}' (${membership.role}) does not allow ${permission}`);
  }
  return { ...ctx, project: membership.project, role: membership.role };
}
