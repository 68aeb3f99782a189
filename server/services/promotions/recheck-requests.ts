import { and, eq, inArray, ne, or } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { modelVersions, promotionRequests, promotionReviews } from "../../db/schema";
import { evidenceOf, fingerprintOf, holderEvidenceOf, holderOf } from "./evidence";
import { evaluateGates } from "./gates";
import { ownRequest, ruleOf, subjectOf, targetOf, type RequestRow } from "./request-rows";
import type { Rule } from "./rules";
import { isOpen, OPEN_STATUSES } from "./status";
import { describeTarget, type Target } from "./targets";
import { transition } from "./transition";

/**
 * Re-checks the evidence of an open request. If the candidate's metrics or tags changed, or another
 * version took the target, the request turns stale: approvals given so far are dismissed, and the
 * gates are evaluated again, so nobody's approval stands for evidence they did not see. The caller
 * holds the request's row lock.
 */
export async function recheck(ctx: ProjectContext, request: RequestRow, rule: Rule | null): Promise<RequestRow> {
  if (!isOpen(request.status)) return request;
  const { model, version } = await subjectOf(ctx, request);
  const holder = await holderOf(ctx, request.modelId, targetOf(request), request.targetValue);
  const candidate = await evidenceOf(ctx, version);
  const fingerprint = fingerprintOf(candidate, holder);
  const gates = rule?.gates ?? [];
  const gateResults = evaluateGates(gates, candidate, holder ? await holderEvidenceOf(ctx, holder, gates, targetOf(request)) : null);
  if (fingerprint === request.evidence) {
    if (JSON.stringify(gateResults) === JSON.stringify(request.gateResults)) return request;
    // Only the verdicts moved (the holder's numbers or the rule's gates): approvals still stand.
    const [updated] = await ctx.db.update(promotionRequests).set({ gateResults, updatedAt: new Date() }).where(ownRequest(ctx, request.id)).returning();
    return updated!;
  }
  const dismissed = await ctx.db
    .update(promotionReviews)
    .set({ dismissed: true })
    .where(and(eq(promotionReviews.requestId, request.id), eq(promotionReviews.dismissed, false), eq(promotionReviews.decision, "approve")))
    .returning({ reviewerId: promotionReviews.reviewerId });
  const tookOver = holder && holder.id !== request.holderVersionId ? holder : null;
  const reason = tookOver ? `version ${tookOver.version} took the target` : "the candidate's evidence changed";
  const told = [...new Set([...dismissed.map((d) => d.reviewerId), ...(request.requestedBy ? [request.requestedBy] : [])])];
  return transition(ctx, request, {
    set: { stale: true, evidence: fingerprint, gateResults, holderVersionId: holder?.id ?? null },
    event: { model, kind: "promotion.stale", toVersion: version.version, details: { request: request.number, reason, dismissedApprovals: dismissed.length } },
    notify: told.length
      ? {
          kind: "promotion.stale",
          title: `Request #${request.number} needs a new look: ${tookOver ? `version ${tookOver.version} took ${describeTarget(targetOf(request))}` : "the candidate's evidence changed"}`,
          to: told,
        }
      : undefined,
  });
}

/** Locks each request and re-checks it under its rule of today (or `rule`, when the caller just changed it). */
async function recheckEach(ctx: ProjectContext, requests: RequestRow[], rule?: Rule | null) {
  for (const request of requests) {
    const [locked] = await ctx.db.select().from(promotionRequests).where(ownRequest(ctx, request.id)).for("update");
    if (locked) await recheck(ctx, locked, rule === undefined ? await ruleOf(ctx, locked) : rule);
  }
}

/** Another version took a target: every other open request for it must be looked at again. */
export async function recheckTargetRequests(ctx: ProjectContext, modelId: string, target: Target, exceptRequestId: string) {
  const others = await ctx.db
    .select()
    .from(promotionRequests)
    .where(
      and(
        eq(promotionRequests.projectId, ctx.project.id),
        eq(promotionRequests.modelId, modelId),
        eq(promotionRequests.targetKind, target.kind),
        eq(promotionRequests.targetName, target.name),
        inArray(promotionRequests.status, [...OPEN_STATUSES]),
        ne(promotionRequests.id, exceptRequestId),
      ),
    );
  await recheckEach(ctx, others);
}

/**
 * Evidence changed (a run's metrics, tags or status; a version's tags or card; a model's card): open requests whose
 * candidate or holder rests on it are checked again, here where the evidence changes, so reading a
 * request never has to. One indexed query when nothing is affected.
 */
export async function recheckOpenRequests(ctx: ProjectContext, changed: { runUuid: string } | { versionId: string } | { modelId: string }) {
  const versions =
    "versionId" in changed
      ? [changed.versionId]
      : ctx.db
          .select({ id: modelVersions.id })
          .from(modelVersions)
          .where(
            and(
              eq(modelVersions.projectId, ctx.project.id),
              "runUuid" in changed ? eq(modelVersions.runId, changed.runUuid) : eq(modelVersions.modelId, changed.modelId),
            ),
          );
  const affected = await ctx.db
    .select()
    .from(promotionRequests)
    .where(
      and(
        eq(promotionRequests.projectId, ctx.project.id),
        inArray(promotionRequests.status, [...OPEN_STATUSES]),
        or(inArray(promotionRequests.versionId, versions), inArray(promotionRequests.holderVersionId, versions)),
      ),
    );
  await recheckEach(ctx, affected);
}

/**
 * A rule's gates changed, or it was removed (`rule` null): its open requests are judged again at
 * once, so their pages show verdicts under the rule of today. Call before a removal, while the
 * requests still point at the rule.
 */
export async function recheckRuleRequests(ctx: ProjectContext, ruleId: string, rule: Rule | null) {
  const open = await ctx.db
    .select()
    .from(promotionRequests)
    .where(and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.ruleId, ruleId), inArray(promotionRequests.status, [...OPEN_STATUSES])));
  await recheckEach(ctx, open, rule);
}
