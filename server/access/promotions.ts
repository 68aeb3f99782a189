import type { ProjectContext } from "../context";
import type { promotionRules } from "../db/schema";
import { forbidden } from "../errors";
import { requireSessionUser } from "./authorize";
import { ROLES, roleAllows, type Role } from "./permissions";

type Rule = Pick<typeof promotionRules.$inferSelect, "approverRoles" | "approverUserIds" | "allowSelfApproval">;
type Member = { userId: string; role: Role };

/** The roles a rule may name as approvers: those holding promotion.review in the permission table. */
export const REVIEWER_ROLES: readonly Role[] = ROLES.filter((role) => roleAllows(role, "promotion.review"));

/**
 * Why a member may not approve under a rule, judged on their role now, or null when they may. The
 * permission table is the ceiling (the role must hold promotion.review); the rule narrows it to some
 * of those roles or to named members; the requester counts only if the rule allows self-approval.
 */
function approvalRefusal(member: Member, rule: Rule, requestedBy: string | null): string | null {
  if (!roleAllows(member.role, "promotion.review")) return `Your role (${member.role}) cannot review promotions`;
  if (requestedBy === member.userId && !rule.allowSelfApproval) return "You opened this request; the rule does not allow approving your own promotion";
  if (rule.approverRoles.includes(member.role) || rule.approverUserIds.includes(member.userId)) return null;
  return `The rule lets ${rule.approverRoles.join(" and ") || "only named people"}${rule.approverRoles.length && rule.approverUserIds.length ? " and named people" : ""} review; your role is ${member.role}`;
}

/**
 * Whether a member's decision counts under the rule. Checked each time decisions are counted, so an
 * approval stops counting once its author leaves the project or loses the role the rule asks for.
 */
export function mayApprove(member: Member, rule: Rule, requestedBy: string | null): boolean {
  return approvalRefusal(member, rule, requestedBy) === null;
}

/**
 * Who may review a promotion request: a person at the browser (never a token, so a pipeline cannot
 * approve its own promotion) who holds promotion.review here now (not in an archived project) and
 * whom the target's rule admits. Returns the reason when the answer is no.
 */
export function reviewRefusal(ctx: ProjectContext, rule: Rule, requestedBy: string | null): string | null {
  if (ctx.actor.kind !== "user" || ctx.actor.via !== "session") return "Reviews need a person at the browser, not an access token";
  if (ctx.project.archivedAt) return "The project is archived; unarchive it to review promotions";
  return approvalRefusal({ userId: ctx.actor.user.id, role: ctx.role }, rule, requestedBy);
}

export function assertMayReview(ctx: ProjectContext, rule: Rule, requestedBy: string | null): void {
  requireSessionUser(ctx);
  const refusal = reviewRefusal(ctx, rule, requestedBy);
  if (refusal) throw forbidden(refusal);
}
