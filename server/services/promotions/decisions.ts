import { and, desc, eq, inArray } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { promotionReviews } from "../../db/schema";
import { approversNow, type RequestRow } from "./request-rows";
import type { Rule } from "./rules";

/** Current decisions of each request: each reviewer's latest review that was not dismissed, newest first. */
export async function standingDecisionsOf(ctx: ProjectContext, requestIds: string[]) {
  const reviews = requestIds.length
    ? await ctx.db
        .select()
        .from(promotionReviews)
        .where(and(inArray(promotionReviews.requestId, requestIds), eq(promotionReviews.dismissed, false)))
        .orderBy(desc(promotionReviews.createdAt))
    : [];
  const latest = new Map<string, Map<string, (typeof reviews)[number]>>(requestIds.map((id) => [id, new Map()]));
  for (const review of reviews) {
    const byReviewer = latest.get(review.requestId)!;
    if (!byReviewer.has(review.reviewerId)) byReviewer.set(review.reviewerId, review);
  }
  return new Map([...latest].map(([id, byReviewer]) => [id, [...byReviewer.values()]]));
}

/** Current decisions of one request: each reviewer's latest review that was not dismissed. */
export async function standingDecisions(ctx: ProjectContext, requestId: string) {
  return (await standingDecisionsOf(ctx, [requestId])).get(requestId)!;
}

/**
 * The standing decisions that count when a decision is taken: those of reviewers who may still
 * approve under the rule. A removed member's approval, or one whose role no longer qualifies, stops
 * counting (and a request for changes from them stops blocking).
 */
export async function countedDecisions(ctx: ProjectContext, request: RequestRow, rule: Rule) {
  const decisions = await standingDecisions(ctx, request.id);
  const eligible = await approversNow(
    ctx,
    rule,
    request.requestedBy,
    decisions.map((d) => d.reviewerId),
  );
  return decisions.filter((d) => eligible.has(d.reviewerId));
}
