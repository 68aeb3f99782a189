import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../access/authorize";
import { inTransaction, type ProjectContext } from "../context";
import { accessTokens, projectMembers, users } from "../db/schema";
import { conflict, notFound, parseInput } from "../errors";
import { recordAudit } from "./audit";
import { roleField, uuidField } from "./fields";

/** Members of the project with their roles, owners first. */
export async function listMembers({ ctx }: { ctx: ProjectContext }) {
  return ctx.db
    .select({ userId: users.id, email: users.email, name: users.name, role: projectMembers.role, since: projectMembers.createdAt })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, ctx.project.id))
    .orderBy(asc(projectMembers.role), asc(users.name));
}

/** Refuses a change that would leave the project without an owner. */
async function assertAnotherOwnerRemains(ctx: ProjectContext, leavingUserId: string) {
  const owners = await ctx.db
    .select({ userId: projectMembers.userId })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, ctx.project.id), eq(projectMembers.role, "owner")))
    .for("update");
  if (owners.every((o) => o.userId === leavingUserId)) {
    throw conflict("A project needs at least one owner: make someone else owner first");
  }
}

/**
 * Membership changes of a project run one at a time: each takes this lock first, so two owners
 * changing each other cannot interleave their row locks (and deadlock) or both pass the owner check.
 */
async function serialiseMembershipChanges(ctx: ProjectContext) {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`members:${ctx.project.id}`}))`);
}

async function membershipOf(ctx: ProjectContext, userId: string) {
  const [member] = await ctx.db
    .select({ role: projectMembers.role, email: users.email })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, ctx.project.id), eq(projectMembers.userId, userId)))
    .for("update", { of: projectMembers });
  if (!member) throw notFound("That person is not a member of this project");
  return member;
}

export const changeRoleInput = z.object({ userId: uuidField, role: roleField });

export async function changeMemberRole({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof changeRoleInput> }) {
  const { userId, role } = parseInput(changeRoleInput, input);
  return inTransaction(ctx, async (tx) => {
    await serialiseMembershipChanges(tx);
    const member = await membershipOf(tx, userId);
    if (member.role === role) return { userId, role };
    if (member.role === "owner") await assertAnotherOwnerRemains(tx, userId);
    await tx.db
      .update(projectMembers)
      .set({ role })
      .where(and(eq(projectMembers.projectId, ctx.project.id), eq(projectMembers.userId, userId)));
    await recordAudit(tx, {
      project: ctx.project,
      action: "member.change_role",
      target: { type: "user", id: userId },
      before: { email: member.email, role: member.role },
      after: { email: member.email, role },
    });
    return { userId, role };
  });
}

export const removeMemberInput = z.object({ userId: uuidField });

async function removeMembership(ctx: ProjectContext, userId: string, action: string) {
  await inTransaction(ctx, async (tx) => {
    await serialiseMembershipChanges(tx);
    const member = await membershipOf(tx, userId);
    if (member.role === "owner") await assertAnotherOwnerRemains(tx, userId);
    await tx.db.delete(projectMembers).where(and(eq(projectMembers.projectId, ctx.project.id), eq(projectMembers.userId, userId)));
    await tx.db
      .update(accessTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(accessTokens.userId, userId), eq(accessTokens.projectId, ctx.project.id), isNull(accessTokens.revokedAt)));
    await recordAudit(tx, {
      project: ctx.project,
      action,
      target: { type: "user", id: userId },
      before: { email: member.email, role: member.role },
    });
  });
}

/** Removes a member; their tokens restricted to this project are revoked with them. */
export async function removeMember({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof removeMemberInput> }) {
  const { userId } = parseInput(removeMemberInput, input);
  return removeMembership(ctx, userId, "member.remove");
}

/** The signed-in member leaves the project (the last owner cannot). */
export async function leaveProject({ ctx }: { ctx: ProjectContext }) {
  return removeMembership(ctx, requireUser(ctx).user.id, "member.leave");
}
