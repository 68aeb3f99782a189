import { z } from "zod";
import { assertMayReview } from "../../access/promotions";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { promotionReviews } from "../../db/schema";
import { conflict, parseInput } from "../../errors";
import { applyRequest } from "./apply-request";
import { countedDecisions } from "./decisions";
import { recheck } from "./recheck-requests";
import { assertOpen, lockedRequest, requestPayload, ruleOf, subjectOf, targetOf } from "./request-rows";
import { describeTarget } from "./targets";
import { transition } from "./transition";

export const reviewInput = z.object({
  number: z.number().int().positive(),
  decision: z.enum(["approve", "reject", "request_changes"]),
  comment: z.string().trim().max(20_000).default(""),
});

/**
 * Records a review. A rejection closes the request; a request for changes holds it; an approval
 * applies the promotion as soon as enough approvals stand and every gate passes. The request row is
 * locked throughout, so approvals racing each other produce exactly one transition.
 */
export async function reviewRequest({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof reviewInput> }) {
  const data = parseInput(reviewInput, input);
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const locked = await lockedRequest(tx, data.number);
    assertOpen(locked);
    const rule = await ruleOf(tx, locked);
    if (!rule) throw conflict(`${describeTarget(targetOf(locked))} is no longer protected: cancel this request and change it directly`);
    assertMayReview(tx, rule, locked.requestedBy);
    const request = await recheck(tx, locked, rule);
    await tx.db
      .insert(promotionReviews)
      .values({ requestId: request.id, reviewerId: actor.user.id, decision: data.decision, comment: data.comment, evidence: request.evidence });

    const { model, version } = await subjectOf(tx, request);
    const label = `${model.name} v${version.version} to ${describeTarget(targetOf(request))}`;
    const event = { model, toVersion: version.version, details: { request: request.number, comment: data.comment } };
    const requester = request.requestedBy ? [request.requestedBy] : [];

    if (data.decision === "reject") {
      await transition(tx, request, {
        set: { status: "rejected" },
        event: { ...event, kind: "promotion.rejected" },
        audit: { action: "promotion.reject", after: { number: request.number, comment: data.comment } },
        notify: {
          kind: "promotion.rejected",
          title: `Rejected: ${label}`,
          body: data.comment,
          to: requester,
          watched: [{ type: "registered_model", id: model.id }],
          webhook: { event: "promotion.rejected", payload: { ...requestPayload(model, version, request), reviewer: actor.user.email, comment: data.comment } },
        },
      });
      return { status: "rejected" as const };
    }

    if (data.decision === "request_changes") {
      await transition(tx, request, {
        set: { status: "changes_requested" },
        event: { ...event, kind: "promotion.changes_requested" },
        notify: { kind: "promotion.changes_requested", title: `Changes requested: ${label}`, body: data.comment, to: requester },
      });
      return { status: "changes_requested" as const };
    }

    // An approval: the request stays held while a counted request for changes stands, and applies once ready.
    const decisions = await countedDecisions(tx, request, rule);
    const blocked = decisions.some((d) => d.decision === "request_changes");
    const approverIds = decisions.filter((d) => d.decision === "approve").map((d) => d.reviewerId);
    const gatesPass = request.gateResults.every((g) => g.passed);
    const status = blocked ? ("changes_requested" as const) : ("open" as const);
    await transition(tx, request, {
      set: { status, stale: false },
      event: { ...event, kind: "promotion.approved" },
      audit: { action: "promotion.approve", after: { number: request.number, comment: data.comment } },
      notify: {
        kind: "promotion.approved",
        title: `Approved by ${actor.user.name}: ${label}`,
        body: data.comment,
        to: requester,
        webhook: { event: "promotion.approved", payload: { ...requestPayload(model, version, request), reviewer: actor.user.email } },
      },
    });
    if (blocked || !gatesPass || approverIds.length < rule.requiredApprovals)
      return { status, approvals: approverIds.length, required: rule.requiredApprovals, gatesPass };
    await applyRequest(tx, request, model, version, approverIds);
    return { status: "applied" as const };
  });
}
