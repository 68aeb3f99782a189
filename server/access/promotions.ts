import type { ProjectContext } from "../context";
import type { promotionRules } from "../db/schema";
import { forbidden } from "../errors";
import { requireSessionUser } from "./authorize";

type Rule = Pick<typeof promotionRules.$inferSelect, "approverRoles" | "approverUserIds" | "allowSelfApproval">;

/**
 * Who may review a promotion request: a person at the browser (never a token, so a pipeline cannot
 * approve its own promotion) whose role or name the target's rule lists, and not the requester
 * unless the rule allows self-approval. Returns the reason when the answer is no.
 */
export function reviewRefusal(ctx: ProjectContext, rule: Rule, requestedBy: string | null): string | null {
  if (ctx.actor.kind !== "user" || ctx.actor.via !== "session") return "Reviews need a person at the browser, not an access token";
  const userId = ctx.actor.user.id;
  if (requestedBy === userId && !rule.allowSelfApproval) return "You opened this request; the rule does not allow approving your own promotion";
  if (rule.approverRoles.includes(ctx.role) || rule.approverUserIds.includes(userId)) return null;
  return `The rule lets ${rule.approverRoles.join(" and ") || "only named people"}${rule.approverRoles.length && rule.approverUserIds.length ? " and named people" : ""} review; your role is ${ctx.role}`;
}

export function assertMayReview(ctx: ProjectContext, rule: Rule, requestedBy: string | null): void {
  requireSessionUser(ctx);
  const refusal = reviewRefusal(ctx, rule, requestedBy);
  if (refusal) throw forbidden(refusal);
}
