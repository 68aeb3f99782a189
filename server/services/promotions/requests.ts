import { and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { assertMayReview, mayApprove, reviewRefusal } from "../../access/promotions";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { modelVersions, modelVersionTags, projectMembers, promotionRequests, promotionReviews, promotionRules, registeredModels, users } from "../../db/schema";
import { conflict, forbidden, invalid, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { publish } from "../events";
import { modelByName, modelNameField, recordRegistryEvent, versionField, versionOf, type ModelRow, type VersionRow } from "../registry/shared";
import { moveAlias, moveStage } from "../registry/targets";
import { runIdOf } from "../tracking/ids";
import { evaluateGates } from "./gates";
import { evidenceOf, fingerprintOf, holderOf } from "./evidence";
import { ruleFor, type Rule } from "./rules";
import { describeTarget, targetField, type Target } from "./targets";

export type RequestRow = typeof promotionRequests.$inferSelect;
type Via = RequestRow["requestedVia"];

const OPEN_STATUSES = ["open", "changes_requested"] as const;
const requestPath = (ctx: ProjectContext, number: number) => `/p/${ctx.project.slug}/promotions/${number}`;

export const openRequestInput = z.object({
  modelName: modelNameField,
  version: versionField,
  target: targetField,
  targetValue: z.string().max(8000).optional(),
  justification: z.string().trim().max(20_000, "Keep the justification under 20,000 characters").default(""),
});

/** Today's members whose accounts are enabled, with their roles (optionally only among `among`). */
export async function enabledMembers(ctx: ProjectContext, among?: string[]) {
  if (among && !among.length) return [];
  return ctx.db
    .select({ userId: projectMembers.userId, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, ctx.project.id), isNull(users.disabledAt), among ? inArray(projectMembers.userId, among) : undefined));
}

/** The members who may approve under the rule now (the access module's `mayApprove` on today's memberships). */
async function approversNow(ctx: ProjectContext, rule: Rule, requestedBy: string | null, among?: string[]): Promise<Set<string>> {
  const members = await enabledMembers(ctx, among);
  return new Set(members.filter((m) => mayApprove(m, rule, requestedBy)).map((m) => m.userId));
}

/**
 * Opens a promotion request: this version to that protected target. Opening the same request again
 * (a retried client, a pipeline re-run) returns the one already open.
 */
export async function openRequest({
  ctx,
  input,
  via,
  rollback = false,
}: {
  ctx: ProjectContext;
  input: z.input<typeof openRequestInput>;
  via: Via;
  /** A request to return the target to an earlier version (announced as a rollback when applied). */
  rollback?: boolean;
}): Promise<RequestRow> {
  const data = parseInput(openRequestInput, input);
  const actor = requireUser(ctx);
  const model = await modelByName(ctx, data.modelName);
  const version = await versionOf(ctx, model, data.version);
  if (data.target.kind === "tag" && data.targetValue === undefined)
    throw invalid("A tag target needs the value to set", { targetValue: "Give the tag's value" });
  const targetValue = data.target.kind === "tag" ? (data.targetValue ?? "") : null;
  const rule = await ruleFor(ctx, model.id, data.target);
  if (!rule) throw invalid(`${describeTarget(data.target)} is not protected: change it directly`);

  return inTransaction(ctx, async (tx) => {
    // One number sequence per project; the lock also serialises duplicate opens.
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`promotions:${ctx.project.id}`}))`);
    const [existing] = await tx.db
      .select()
      .from(promotionRequests)
      .where(
        and(
          eq(promotionRequests.versionId, version.id),
          eq(promotionRequests.targetKind, data.target.kind),
          eq(promotionRequests.targetName, data.target.name),
          targetValue === null ? sql`${promotionRequests.targetValue} is null` : eq(promotionRequests.targetValue, targetValue),
          inArray(promotionRequests.status, [...OPEN_STATUSES]),
        ),
      );
    if (existing) return existing;

    const holder = await holderOf(tx, model.id, data.target, targetValue);
    if (holder?.id === version.id) throw conflict(`Version ${version.version} already holds ${describeTarget(data.target)}`);
    const candidate = await evidenceOf(tx, version);
    const holderEvidence = holder ? await evidenceOf(tx, holder) : null;
    const [{ next }] = (await tx.db
      .select({ next: sql<number>`coalesce(max(${promotionRequests.number}), 0) + 1` })
      .from(promotionRequests)
      .where(eq(promotionRequests.projectId, ctx.project.id))) as [{ next: number }];
    const [request] = await tx.db
      .insert(promotionRequests)
      .values({
        projectId: ctx.project.id,
        number: Number(next),
        modelId: model.id,
        versionId: version.id,
        targetKind: data.target.kind,
        targetName: data.target.name,
        targetValue,
        ruleId: rule.id,
        ruleRevision: rule.revision,
        justification: data.justification,
        evidence: fingerprintOf(candidate, holder),
        gateResults: evaluateGates(rule.gates, candidate, holderEvidence),
        holderVersionId: holder?.id ?? null,
        rollback,
        requestedBy: actor.user.id,
        requestedVia: via,
      })
      .returning();
    await recordRegistryEvent(tx, {
      model,
      kind: "promotion.requested",
      target: data.target.name,
      fromVersion: holder?.version ?? null,
      toVersion: version.version,
      details: { request: request!.number, targetKind: data.target.kind, justification: data.justification },
    });
    await recordAudit(tx, {
      project: ctx.project,
      action: "promotion.request",
      target: { type: "promotion_request", id: request!.id },
      after: { number: request!.number, model: model.name, version: version.version, target: describeTarget(data.target) },
    });
    await publish(tx, {
      project: ctx.project,
      kind: "promotion.requested",
      title: `Review requested: ${model.name} v${version.version} to ${describeTarget(data.target)}`,
      body: data.justification,
      path: requestPath(ctx, request!.number),
      to: [...(await approversNow(tx, rule, actor.user.id))],
      watched: [{ type: "registered_model", id: model.id }],
      webhook: { event: "promotion.requested", payload: requestPayload(model, version, request!) },
    });
    return request!;
  });
}

function requestPayload(model: ModelRow, version: VersionRow, request: RequestRow) {
  return {
    request: request.number,
    model: model.name,
    version: String(version.version),
    target: { kind: request.targetKind, name: request.targetName, ...(request.targetValue !== null && { value: request.targetValue }) },
    runId: version.runId ? runIdOf(version.runId) : null,
  };
}

async function lockedRequest(ctx: ProjectContext, number: number): Promise<RequestRow> {
  const [row] = await ctx.db
    .select()
    .from(promotionRequests)
    .where(and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.number, number)))
    .for("update");
  if (!row) throw notFound(`Promotion request #${number} not found`);
  return row;
}

/** One of this project's requests: every statement on a request carries the project (defence in depth). */
const ownRequest = (ctx: ProjectContext, id: string) => and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.id, id));

/** The model and candidate version a request is about, read within the project. */
async function subjectOf(ctx: ProjectContext, request: RequestRow): Promise<{ model: ModelRow; version: VersionRow }> {
  const [model] = await ctx.db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.projectId, ctx.project.id), eq(registeredModels.id, request.modelId)));
  const [version] = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.projectId, ctx.project.id), eq(modelVersions.id, request.versionId)));
  if (!model || !version) throw notFound(`Promotion request #${request.number} not found`);
  return { model, version };
}

const targetOf = (request: RequestRow): Target => ({ kind: request.targetKind, name: request.targetName });

/** The rule a request is judged by now (null if the target was unprotected since). */
async function ruleOf(ctx: ProjectContext, request: RequestRow): Promise<Rule | null> {
  if (!request.ruleId) return null;
  const [rule] = await ctx.db
    .select()
    .from(promotionRules)
    .where(and(eq(promotionRules.projectId, ctx.project.id), eq(promotionRules.id, request.ruleId)));
  return rule ?? null;
}

/**
 * Re-checks the evidence of an open request. If the candidate's metrics or tags changed, or another
 * version took the target, the request turns stale: approvals given so far are dismissed, and the
 * gates are evaluated again, so nobody's approval stands for evidence they did not see.
 */
async function recheck(ctx: ProjectContext, request: RequestRow, rule: Rule | null): Promise<RequestRow> {
  if (!OPEN_STATUSES.includes(request.status as (typeof OPEN_STATUSES)[number])) return request;
  const { model, version } = await subjectOf(ctx, request);
  const holder = await holderOf(ctx, request.modelId, targetOf(request), request.targetValue);
  const candidate = await evidenceOf(ctx, version);
  const fingerprint = fingerprintOf(candidate, holder);
  const gateResults = evaluateGates(rule?.gates ?? [], candidate, holder ? await evidenceOf(ctx, holder) : null);
  if (fingerprint === request.evidence) {
    if (JSON.stringify(gateResults) === JSON.stringify(request.gateResults)) return request;
    const [updated] = await ctx.db.update(promotionRequests).set({ gateResults, updatedAt: new Date() }).where(ownRequest(ctx, request.id)).returning();
    return updated!;
  }
  const dismissed = await ctx.db
    .update(promotionReviews)
    .set({ dismissed: true })
    .where(and(eq(promotionReviews.requestId, request.id), eq(promotionReviews.dismissed, false), eq(promotionReviews.decision, "approve")))
    .returning({ reviewerId: promotionReviews.reviewerId });
  const [updated] = await ctx.db
    .update(promotionRequests)
    .set({ stale: true, evidence: fingerprint, gateResults, holderVersionId: holder?.id ?? null, updatedAt: new Date() })
    .where(ownRequest(ctx, request.id))
    .returning();
  const tookOver = holder && holder.id !== request.holderVersionId;
  await recordRegistryEvent(ctx, {
    model,
    kind: "promotion.stale",
    target: request.targetName,
    toVersion: version.version,
    details: {
      request: request.number,
      reason: tookOver ? `version ${holder.version} took the target` : "the candidate's evidence changed",
      dismissedApprovals: dismissed.length,
    },
  });
  if (dismissed.length || request.requestedBy) {
    await publish(ctx, {
      project: ctx.project,
      kind: "promotion.stale",
      title: `Request #${request.number} needs a new look: ${tookOver ? `version ${holder!.version} took ${describeTarget(targetOf(request))}` : "the candidate's evidence changed"}`,
      path: requestPath(ctx, request.number),
      to: [...new Set([...dismissed.map((d) => d.reviewerId), ...(request.requestedBy ? [request.requestedBy] : [])])],
    });
  }
  return updated!;
}

/** Current decisions: each reviewer's latest review that was not dismissed. */
async function standingDecisions(ctx: ProjectContext, requestId: string) {
  const reviews = await ctx.db
    .select()
    .from(promotionReviews)
    .where(and(eq(promotionReviews.requestId, requestId), eq(promotionReviews.dismissed, false)))
    .orderBy(desc(promotionReviews.createdAt));
  const latest = new Map<string, (typeof reviews)[number]>();
  for (const review of reviews) if (!latest.has(review.reviewerId)) latest.set(review.reviewerId, review);
  return [...latest.values()];
}

/**
 * The standing decisions that count when a decision is taken: those of reviewers who may still
 * approve under the rule. A removed member's approval, or one whose role no longer qualifies, stops
 * counting (and a request for changes from them stops blocking).
 */
async function countedDecisions(ctx: ProjectContext, request: RequestRow, rule: Rule) {
  const decisions = await standingDecisions(ctx, request.id);
  const eligible = await approversNow(
    ctx,
    rule,
    request.requestedBy,
    decisions.map((d) => d.reviewerId),
  );
  return decisions.filter((d) => eligible.has(d.reviewerId));
}

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
    let request = await lockedRequest(tx, data.number);
    if (!OPEN_STATUSES.includes(request.status as (typeof OPEN_STATUSES)[number]))
      throw conflict(`Request #${request.number} is already ${request.status.replace("_", " ")}`);
    const rule = await ruleOf(tx, request);
    if (!rule) throw conflict(`${describeTarget(targetOf(request))} is no longer protected: cancel this request and change it directly`);
    assertMayReview(tx, rule, request.requestedBy);
    request = await recheck(tx, request, rule);
    await tx.db
      .insert(promotionReviews)
      .values({ requestId: request.id, reviewerId: actor.user.id, decision: data.decision, comment: data.comment, evidence: request.evidence });

    const { model, version } = await subjectOf(tx, request);
    const label = `${model.name} v${version.version} to ${describeTarget(targetOf(request))}`;
    const event = { model, target: request.targetName, toVersion: version.version, details: { request: request.number, comment: data.comment } };

    if (data.decision === "reject") {
      await tx.db.update(promotionRequests).set({ status: "rejected", closedAt: new Date(), updatedAt: new Date() }).where(ownRequest(ctx, request.id));
      await recordRegistryEvent(tx, { ...event, kind: "promotion.rejected" });
      await recordAudit(tx, {
        project: ctx.project,
        action: "promotion.reject",
        target: { type: "promotion_request", id: request.id },
        after: { number: request.number, comment: data.comment },
      });
      await publish(tx, {
        project: ctx.project,
        kind: "promotion.rejected",
        title: `Rejected: ${label}`,
        body: data.comment,
        path: requestPath(ctx, request.number),
        to: request.requestedBy ? [request.requestedBy] : [],
        watched: [{ type: "registered_model", id: model.id }],
        webhook: { event: "promotion.rejected", payload: { ...requestPayload(model, version, request), reviewer: actor.user.email, comment: data.comment } },
      });
      return { status: "rejected" as const };
    }

    const decisions = await countedDecisions(tx, request, rule);
    const blocked = decisions.some((d) => d.decision === "request_changes");
    if (data.decision === "request_changes") {
      await tx.db.update(promotionRequests).set({ status: "changes_requested", updatedAt: new Date() }).where(ownRequest(ctx, request.id));
      await recordRegistryEvent(tx, { ...event, kind: "promotion.changes_requested" });
      await publish(tx, {
        project: ctx.project,
        kind: "promotion.changes_requested",
        title: `Changes requested: ${label}`,
        body: data.comment,
        path: requestPath(ctx, request.number),
        to: request.requestedBy ? [request.requestedBy] : [],
      });
      return { status: "changes_requested" as const };
    }

    await recordRegistryEvent(tx, { ...event, kind: "promotion.approved" });
    await recordAudit(tx, {
      project: ctx.project,
      action: "promotion.approve",
      target: { type: "promotion_request", id: request.id },
      after: { number: request.number, comment: data.comment },
    });
    await publish(tx, {
      project: ctx.project,
      kind: "promotion.approved",
      title: `Approved by ${actor.user.name}: ${label}`,
      body: data.comment,
      path: requestPath(ctx, request.number),
      to: request.requestedBy ? [request.requestedBy] : [],
      webhook: { event: "promotion.approved", payload: { ...requestPayload(model, version, request), reviewer: actor.user.email } },
    });
    const approvals = decisions.filter((d) => d.decision === "approve").length;
    const gatesPass = request.gateResults.every((g) => g.passed);
    const ready = !blocked && gatesPass && approvals >= rule.requiredApprovals;
    await tx.db
      .update(promotionRequests)
      .set({ status: blocked ? "changes_requested" : "open", stale: false, updatedAt: new Date() })
      .where(ownRequest(ctx, request.id));
    if (!ready) return { status: blocked ? ("changes_requested" as const) : ("open" as const), approvals, required: rule.requiredApprovals, gatesPass };
    await applyRequest(
      tx,
      request,
      model,
      version,
      decisions.filter((d) => d.decision === "approve").map((d) => d.reviewerId),
    );
    return { status: "applied" as const };
  });
}

/**
 * Moves the target to the candidate: a stage archives the versions that held it, an alias leaves
 * its previous version, a tag is set. Closes the request, records the timeline and audit trail,
 * marks other open requests for the target stale, and tells everyone concerned.
 */
export async function applyRequest(ctx: ProjectContext, request: RequestRow, model: ModelRow, version: VersionRow, approverIds: string[]) {
  const target = targetOf(request);
  const previous = await holderOf(ctx, model.id, target, request.targetValue);
  if (target.kind === "stage") await moveStage(ctx, model, version, target.name as VersionRow["stage"], true, { request: request.number });
  else if (target.kind === "alias") await moveAlias(ctx, model, target.name, version, { request: request.number });
  else {
    await ctx.db
      .insert(modelVersionTags)
      .values({ versionId: version.id, key: target.name, value: request.targetValue ?? "" })
      .onConflictDoUpdate({ target: [modelVersionTags.versionId, modelVersionTags.key], set: { value: request.targetValue ?? "" } });
  }
  await ctx.db
    .update(promotionRequests)
    .set({ status: "applied", stale: false, closedAt: new Date(), updatedAt: new Date() })
    .where(ownRequest(ctx, request.id));
  const approvers = approverIds.length ? await ctx.db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, approverIds)) : [];
  const kind = request.rollback ? "promotion.rolled_back" : "promotion.applied";
  await recordRegistryEvent(ctx, {
    model,
    kind,
    target: target.name,
    fromVersion: previous?.version ?? null,
    toVersion: version.version,
    details: { request: request.number, targetKind: target.kind, approvers: approvers.map((a) => a.email), justification: request.justification },
  });
  await recordAudit(ctx, {
    project: ctx.project,
    action: request.rollback ? "promotion.rollback" : "promotion.apply",
    target: { type: "promotion_request", id: request.id },
    before: { holder: previous?.version ?? null },
    after: { number: request.number, model: model.name, version: version.version, target: describeTarget(target), approvers: approvers.map((a) => a.email) },
  });
  await markTargetTaken(ctx, model.id, target, request.id);
  await publish(ctx, {
    project: ctx.project,
    kind,
    title: `${request.rollback ? "Rolled back" : "Promoted"}: ${model.name} v${version.version} now holds ${describeTarget(target)}`,
    path: requestPath(ctx, request.number),
    to: [...approverIds, ...(request.requestedBy ? [request.requestedBy] : [])],
    watched: [
      { type: "registered_model", id: model.id },
      { type: "project", id: ctx.project.id },
    ],
    webhook: {
      event: request.rollback ? "promotion.rolled_back" : "promotion.applied",
      payload: {
        ...requestPayload(model, version, request),
        previousVersion: previous ? String(previous.version) : null,
        approvers: approvers.map((a) => a.email),
      },
    },
  });
}

/** Another version took a target: every other open request for it must be looked at again. */
async function markTargetTaken(ctx: ProjectContext, modelId: string, target: Target, exceptRequestId: string | null) {
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
        exceptRequestId ? ne(promotionRequests.id, exceptRequestId) : undefined,
      ),
    )
    .for("update");
  for (const other of others) {
    await recheck(ctx, other, await ruleOf(ctx, other));
  }
}

/**
 * Evidence changed (a run's metrics, tags or status; a version's tags): open requests whose
 * candidate rests on it are checked again. One indexed query when nothing is affected.
 */
export async function recheckOpenRequests(ctx: ProjectContext, changed: { runUuid: string } | { versionId: string }) {
  const affected = await ctx.db
    .select({ request: promotionRequests })
    .from(promotionRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, promotionRequests.versionId))
    .where(
      and(
        "runUuid" in changed ? eq(modelVersions.runId, changed.runUuid) : eq(modelVersions.id, changed.versionId),
        eq(promotionRequests.projectId, ctx.project.id),
        inArray(promotionRequests.status, [...OPEN_STATUSES]),
      ),
    );
  for (const { request } of affected) {
    const [locked] = await ctx.db.select().from(promotionRequests).where(ownRequest(ctx, request.id)).for("update");
    await recheck(ctx, locked!, await ruleOf(ctx, locked!));
  }
}

export const requestNumberInput = z.object({ number: z.number().int().positive() });

/** The requester (or a reviewer) withdraws an open request. */
export async function cancelRequest({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof requestNumberInput> }) {
  const { number } = parseInput(requestNumberInput, input);
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const request = await lockedRequest(tx, number);
    if (!OPEN_STATUSES.includes(request.status as (typeof OPEN_STATUSES)[number]))
      throw conflict(`Request #${number} is already ${request.status.replace("_", " ")}`);
    const rule = await ruleOf(tx, request);
    const reviewer = rule ? reviewRefusal(tx, { ...rule, allowSelfApproval: true }, null) === null : false;
    if (request.requestedBy !== actor.user.id && !reviewer) throw forbidden("Only the requester or a reviewer can cancel this request");
    await tx.db.update(promotionRequests).set({ status: "cancelled", closedAt: new Date(), updatedAt: new Date() }).where(ownRequest(ctx, request.id));
    const { model } = await subjectOf(tx, request);
    await recordRegistryEvent(tx, { model, kind: "promotion.cancelled", target: request.targetName, details: { request: number } });
    await recordAudit(tx, { project: ctx.project, action: "promotion.cancel", target: { type: "promotion_request", id: request.id }, after: { number } });
  });
}

export const updateRequestInput = requestNumberInput.extend({ justification: z.string().trim().max(20_000) });

/** The requester refines the justification (e.g. after reviewers asked for changes). */
export async function updateJustification({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateRequestInput> }) {
  const { number, justification } = parseInput(updateRequestInput, input);
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const request = await lockedRequest(tx, number);
    if (request.requestedBy !== actor.user.id) throw forbidden("Only the requester can edit the justification");
    if (!OPEN_STATUSES.includes(request.status as (typeof OPEN_STATUSES)[number]))
      throw conflict(`Request #${number} is already ${request.status.replace("_", " ")}`);
    await tx.db.update(promotionRequests).set({ justification, updatedAt: new Date() }).where(ownRequest(ctx, request.id));
  });
}

export { countedDecisions, recheck, ruleOf, standingDecisions };
