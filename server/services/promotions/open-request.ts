import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { promotionRequests } from "../../db/schema";
import { conflict, invalid, parseInput } from "../../errors";
import { modelByName, modelNameField, versionField, versionOf } from "../registry/shared";
import { evidenceOf, fingerprintOf, holderEvidenceOf, holderOf } from "./evidence";
import { evaluateGates } from "./gates";
import { approversNow, requestPayload, type RequestRow } from "./request-rows";
import { ruleFor } from "./rules";
import { OPEN_STATUSES } from "./status";
import { describeTarget, targetField } from "./targets";
import { transition } from "./transition";

export const openRequestInput = z.object({
  modelName: modelNameField,
  version: versionField,
  target: targetField,
  targetValue: z.string().max(8000).optional(),
  justification: z.string().trim().max(20_000, "Keep the justification under 20,000 characters").default(""),
});

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
  via: RequestRow["requestedVia"];
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
          eq(promotionRequests.projectId, ctx.project.id),
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
    const holderEvidence = holder ? await holderEvidenceOf(tx, holder, rule.gates, data.target) : null;
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
    return transition(tx, request!, {
      event: {
        model,
        kind: "promotion.requested",
        fromVersion: holder?.version ?? null,
        toVersion: version.version,
        details: { request: request!.number, targetKind: data.target.kind, justification: data.justification },
      },
      audit: {
        action: "promotion.request",
        after: { number: request!.number, model: model.name, version: version.version, target: describeTarget(data.target) },
      },
      notify: {
        kind: "promotion.requested",
        title: `Review requested: ${model.name} v${version.version} to ${describeTarget(data.target)}`,
        body: data.justification,
        to: [...(await approversNow(tx, rule, actor.user.id))],
        watched: [{ type: "registered_model", id: model.id }],
        webhook: { event: "promotion.requested", payload: requestPayload(model, version, request!) },
      },
    });
  });
}
