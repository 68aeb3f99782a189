import { inArray } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { modelVersionTags, users } from "../../db/schema";
import type { ModelRow, VersionRow } from "../registry/shared";
import { moveAlias, moveStage } from "../registry/targets";
import { holderOf } from "./evidence";
import { recheckTargetRequests } from "./recheck-requests";
import { requestPayload, targetOf, type RequestRow } from "./request-rows";
import { describeTarget } from "./targets";
import { transition } from "./transition";

/**
 * Moves the target to the candidate: a stage archives the versions that held it, an alias leaves
 * its previous version, a tag is set. Closes the request, records the timeline and audit trail,
 * tells everyone concerned, and marks other open requests for the target stale.
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
  const approvers = approverIds.length ? await ctx.db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, approverIds)) : [];
  const emails = approvers.map((a) => a.email);
  const kind = request.rollback ? "promotion.rolled_back" : "promotion.applied";
  await transition(ctx, request, {
    set: { status: "applied", stale: false },
    event: {
      model,
      kind,
      fromVersion: previous?.version ?? null,
      toVersion: version.version,
      details: { request: request.number, targetKind: target.kind, approvers: emails, justification: request.justification },
    },
    audit: {
      action: request.rollback ? "promotion.rollback" : "promotion.apply",
      before: { holder: previous?.version ?? null },
      after: { number: request.number, model: model.name, version: version.version, target: describeTarget(target), approvers: emails },
    },
    notify: {
      kind,
      title: `${request.rollback ? "Rolled back" : "Promoted"}: ${model.name} v${version.version} now holds ${describeTarget(target)}`,
      to: [...approverIds, ...(request.requestedBy ? [request.requestedBy] : [])],
      watched: [
        { type: "registered_model", id: model.id },
        { type: "project", id: ctx.project.id },
      ],
      webhook: {
        event: kind,
        payload: { ...requestPayload(model, version, request), previousVersion: previous ? String(previous.version) : null, approvers: emails },
      },
    },
  });
  await recheckTargetRequests(ctx, model.id, target, request.id);
}
