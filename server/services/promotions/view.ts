import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { mayApprove, reviewRefusal } from "../../access/promotions";
import type { ProjectContext } from "../../context";
import {
  datasets,
  experiments,
  metricSeries,
  modelVersions,
  promotionRequests,
  promotionReviews,
  promotionRules,
  registeredModels,
  registryEvents,
  runInputs,
  runParams,
  runs,
  users,
} from "../../db/schema";
import { notFound, parseInput } from "../../errors";
import { presentVersions, type VersionRow } from "../registry/shared";
import { runIdOf } from "../tracking/ids";
import { cardCompletenessOf } from "../model-cards/rows";
import { holderOf } from "./evidence";
import { beatsProduction } from "./gates";
import { holderProduction, productionEvidence } from "./production-evidence";
import { countedDecisions, standingDecisions, standingDecisionsOf } from "./decisions";
import { enabledMembers, requestNumberInput, ruleOf, subjectOf, type RequestRow } from "./request-rows";
import { CLOSED_STATUSES, isOpen, OPEN_STATUSES } from "./status";

/** What a reviewer needs to know about a version: its source run, metrics, params and data. */
export async function versionSummary(ctx: ProjectContext, version: VersionRow, modelName: string) {
  const [presented] = await presentVersions(ctx, [version], new Map([[version.modelId, modelName]]));
  // The id names the version as a comment subject; the rest is MLflow-shaped.
  if (!version.runId) return { versionId: version.id, version: presented!, run: null, metrics: {}, params: {}, datasets: [] };
  const [run, metrics, params, inputs] = await Promise.all([
    ctx.db
      .select({
        id: runs.id,
        name: runs.name,
        status: runs.status,
        startTime: runs.startTime,
        experimentNumber: experiments.number,
        experimentName: experiments.name,
      })
      .from(runs)
      .innerJoin(experiments, eq(experiments.id, runs.experimentId))
      .where(and(eq(runs.id, version.runId), eq(runs.projectId, ctx.project.id))),
    ctx.db.select({ key: metricSeries.key, value: metricSeries.value }).from(metricSeries).where(eq(metricSeries.runId, version.runId)),
    ctx.db.select({ key: runParams.key, value: runParams.value }).from(runParams).where(eq(runParams.runId, version.runId)),
    ctx.db
      .select({ name: datasets.name, digest: datasets.digest, sourceType: datasets.sourceType, tags: runInputs.tags })
      .from(runInputs)
      .innerJoin(datasets, eq(datasets.id, runInputs.datasetId))
      .where(eq(runInputs.runId, version.runId)),
  ]);
  const r = run[0];
  return {
    versionId: version.id,
    version: presented!,
    run: r
      ? {
          runId: runIdOf(r.id),
          name: r.name,
          status: r.status,
          startTime: r.startTime,
          experimentId: String(r.experimentNumber),
          experimentName: r.experimentName,
        }
      : null,
    metrics: Object.fromEntries(metrics.map((m) => [m.key, m.value])),
    params: Object.fromEntries(params.map((p) => [p.key, p.value])),
    datasets: inputs.map((d) => ({
      name: d.name,
      digest: d.digest,
      sourceType: d.sourceType,
      context: d.tags.find((t) => t.key === "mlflow.data.context")?.value ?? null,
    })),
  };
}

/** Metrics and params of the candidate next to the holder's: deltas, and which params differ. */
function compare(candidate: Awaited<ReturnType<typeof versionSummary>>, holder: Awaited<ReturnType<typeof versionSummary>> | null) {
  const metricKeys = [...new Set([...Object.keys(candidate.metrics), ...Object.keys(holder?.metrics ?? {})])].sort();
  const paramKeys = [...new Set([...Object.keys(candidate.params), ...Object.keys(holder?.params ?? {})])].sort();
  return {
    metrics: metricKeys.map((key) => {
      const c = candidate.metrics[key] ?? null;
      const h = holder?.metrics[key] ?? null;
      return { key, candidate: c, holder: h, delta: c !== null && h !== null ? c - h : null };
    }),
    params: paramKeys.map((key) => {
      const c = candidate.params[key] ?? null;
      const h = holder?.params[key] ?? null;
      return { key, candidate: c, holder: h, differs: holder !== null && c !== h };
    }),
  };
}

/** What keeps a request from applying, in the order its page lists them. */
type Blocker =
  { kind: "unprotected" } | { kind: "approvals"; missing: number } | { kind: "gates"; failing: number } | { kind: "changes_requested"; by: string[] };

/** Why an open request went stale, from the latest "stale" entry of this request on the model's timeline. */
async function staleReasonOf(ctx: ProjectContext, request: RequestRow): Promise<{ reason: string | null; dismissedApprovals: number }> {
  const [event] = await ctx.db
    .select({ details: registryEvents.details })
    .from(registryEvents)
    .where(
      and(
        eq(registryEvents.projectId, ctx.project.id),
        eq(registryEvents.modelId, request.modelId),
        eq(registryEvents.kind, "promotion.stale"),
        sql`${registryEvents.details}->>'request' = ${String(request.number)}`,
      ),
    )
    .orderBy(desc(registryEvents.id))
    .limit(1);
  const details = (event?.details ?? {}) as { reason?: unknown; dismissedApprovals?: unknown };
  return {
    reason: typeof details.reason === "string" ? details.reason : null,
    dismissedApprovals: typeof details.dismissedApprovals === "number" ? details.dismissedApprovals : 0,
  };
}

/**
 * A promotion request as its page shows it, with what the page needs already decided: the standing
 * decisions, what blocks it, whether it is open and why it went stale. A pure read: it locks and
 * writes nothing, since evidence is re-checked where it changes (see `recheck-requests.ts`).
 */
export async function getPromotionRequest({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof requestNumberInput> }) {
  const { number } = parseInput(requestNumberInput, input);
  const [request] = await ctx.db
    .select()
    .from(promotionRequests)
    .where(and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.number, number)));
  if (!request) throw notFound(`Promotion request #${number} not found`);
  const rule = await ruleOf(ctx, request);
  const { model, version: candidateRow } = await subjectOf(ctx, request);
  const target = { kind: request.targetKind, name: request.targetName };
  const open = isOpen(request.status);
  // An open request is judged against today's holder; a closed one keeps the holder it was opened against.
  const holderRow = open
    ? await holderOf(ctx, request.modelId, target, request.targetValue)
    : request.holderVersionId
      ? ((
          await ctx.db
            .select()
            .from(modelVersions)
            .where(and(eq(modelVersions.projectId, ctx.project.id), eq(modelVersions.id, request.holderVersionId)))
        )[0] ?? null)
      : null;
  const candidate = await versionSummary(ctx, candidateRow, model.name);
  const holder = holderRow && holderRow.id !== candidateRow.id ? await versionSummary(ctx, holderRow, model.name) : null;
  const [card, production] = await Promise.all([
    cardCompletenessOf(ctx, candidateRow),
    // The holder's production is news only while the request waits: a closed one was decided on what it was then.
    open && holderRow && holder ? holderProduction(ctx, target, holderRow) : null,
  ]);
  // Production moves with every batch of telemetry, so its gates are judged again on the record shown here.
  const gates = production
    ? request.gateResults.map((r) =>
        r.gate.type === "beats_production"
          ? beatsProduction(r.gate, candidate.metrics, { version: holderRow!.version, production: productionEvidence(production.record, production.since) })
          : r,
      )
    : request.gateResults;

  const reviews = await ctx.db
    .select({
      id: promotionReviews.id,
      decision: promotionReviews.decision,
      comment: promotionReviews.comment,
      dismissed: promotionReviews.dismissed,
      createdAt: promotionReviews.createdAt,
      reviewerId: users.id,
      reviewer: users.name,
    })
    .from(promotionReviews)
    .innerJoin(users, eq(users.id, promotionReviews.reviewerId))
    .where(eq(promotionReviews.requestId, request.id))
    .orderBy(promotionReviews.createdAt);
  // An open request shows the decisions that would count now; a closed one, those it closed with.
  const decisions = open && rule ? await countedDecisions(ctx, request, rule) : await standingDecisions(ctx, request.id);
  const reviewerNames = new Map(reviews.map((r) => [r.reviewerId, r.reviewer]));
  const standing = decisions.map((d) => ({ reviewerId: d.reviewerId, reviewer: reviewerNames.get(d.reviewerId) ?? "", decision: d.decision }));
  const approvals = standing.filter((d) => d.decision === "approve").length;
  const failing = gates.filter((g) => !g.passed).length;
  const changesBy = standing.filter((d) => d.decision === "request_changes").map((d) => d.reviewer);
  const blockers: Blocker[] = [
    ...(rule
      ? approvals < rule.requiredApprovals
        ? [{ kind: "approvals" as const, missing: rule.requiredApprovals - approvals }]
        : []
      : [{ kind: "unprotected" as const }]),
    ...(failing ? [{ kind: "gates" as const, failing }] : []),
    ...(changesBy.length ? [{ kind: "changes_requested" as const, by: changesBy }] : []),
  ];
  const people = await namesOf(ctx, [request.requestedBy, ...(rule?.approverUserIds ?? [])]);
  const me = ctx.actor.kind === "user" ? ctx.actor.user.id : null;
  const refusal = !open ? "The request is closed" : rule ? reviewRefusal(ctx, rule, request.requestedBy) : "The target is no longer protected";

  return {
    request: {
      number: request.number,
      status: request.status,
      open,
      stale: request.stale,
      staleReason: request.stale && open ? await staleReasonOf(ctx, request) : null,
      rollback: request.rollback,
      justification: request.justification,
      target,
      targetValue: request.targetValue,
      requestedBy: request.requestedBy ? (people.get(request.requestedBy) ?? null) : null,
      requestedVia: request.requestedVia,
      ruleRevision: request.ruleRevision,
      createdAt: request.createdAt,
      closedAt: request.closedAt,
    },
    model: { name: model.name },
    candidate,
    holder,
    comparison: compare(candidate, holder),
    card,
    production,
    gates,
    rule: rule
      ? {
          revision: rule.revision,
          requiredApprovals: rule.requiredApprovals,
          approverRoles: rule.approverRoles,
          approvers: rule.approverUserIds.map((id) => people.get(id)).filter((p) => p !== undefined),
          allowSelfApproval: rule.allowSelfApproval,
          allowEmergencyRollback: rule.allowEmergencyRollback,
        }
      : null,
    reviews,
    standing,
    approvals,
    blockers,
    viewer: {
      canReview: refusal === null,
      refusal,
      canCancel: open && (me === request.requestedBy || refusal === null),
      isRequester: me === request.requestedBy,
    },
  };
}

async function namesOf(ctx: ProjectContext, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const rows = wanted.length ? await ctx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, wanted)) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

export const listRequestsInput = z.object({
  state: z.enum(["open", "closed", "all"]).default("open"),
  modelName: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  before: z.number().int().positive().optional(),
});

/** The project's promotion requests, newest first, with whether each is open and its approvals so far (for open ones, those that count now). */
export async function listPromotionRequests({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof listRequestsInput> }) {
  const data = parseInput(listRequestsInput, input);
  const conditions: (SQL | undefined)[] = [
    eq(promotionRequests.projectId, ctx.project.id),
    data.state === "open"
      ? inArray(promotionRequests.status, [...OPEN_STATUSES])
      : data.state === "closed"
        ? inArray(promotionRequests.status, [...CLOSED_STATUSES])
        : undefined,
    data.modelName ? eq(registeredModels.name, data.modelName) : undefined,
  ];
  if (data.before) conditions.push(lt(promotionRequests.number, data.before));
  const rows = await ctx.db
    .select({ request: promotionRequests, modelName: registeredModels.name, version: modelVersions.version, requester: users.name, rule: promotionRules })
    .from(promotionRequests)
    .leftJoin(promotionRules, eq(promotionRules.id, promotionRequests.ruleId))
    .innerJoin(registeredModels, eq(registeredModels.id, promotionRequests.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, promotionRequests.versionId))
    .leftJoin(users, eq(users.id, promotionRequests.requestedBy))
    .where(and(...conditions))
    .orderBy(desc(promotionRequests.number))
    .limit(data.limit);
  const standing = await standingDecisionsOf(
    ctx,
    rows.map((r) => r.request.id),
  );
  const anyDecision = [...standing.values()].some((d) => d.length);
  const roles = new Map(anyDecision ? (await enabledMembers(ctx)).map((m) => [m.userId, m.role]) : []);
  return rows.map(({ request, modelName, version, requester, rule }) => {
    const open = isOpen(request.status);
    const counts = (reviewerId: string) => {
      const role = roles.get(reviewerId);
      return !open || !rule || (role !== undefined && mayApprove({ userId: reviewerId, role }, rule, request.requestedBy));
    };
    const decisions = standing.get(request.id)!.filter((d) => counts(d.reviewerId));
    return {
      number: request.number,
      status: request.status,
      open,
      stale: request.stale,
      rollback: request.rollback,
      model: modelName,
      version,
      target: { kind: request.targetKind, name: request.targetName },
      targetValue: request.targetValue,
      requester,
      gatesPass: request.gateResults.every((g) => g.passed),
      approvals: decisions.filter((d) => d.decision === "approve").length,
      requiredApprovals: rule?.requiredApprovals ?? null,
      createdAt: request.createdAt,
      closedAt: request.closedAt,
    };
  });
}
