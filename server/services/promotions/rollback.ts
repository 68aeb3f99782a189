import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { registryEvents } from "../../db/schema";
import { conflict, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { publish } from "../events";
import { modelByName, modelNameField, recordRegistryEvent, versionOf, type VersionRow } from "../registry/shared";
import { moveAlias, moveStage } from "../registry/targets";
import { holderOf } from "./evidence";
import { applyRequest } from "./apply-request";
import { openRequest } from "./open-request";
import { ruleFor } from "./rules";
import { describeTarget, targetField } from "./targets";

export const rollbackInput = z.object({
  modelName: modelNameField,
  target: targetField,
  justification: z.string().trim().max(20_000).default(""),
});

/** Timeline events that put a version onto a target; the latest one onto the holder says where it came from. */
const MOVES = ["stage.changed", "alias.set"];

/**
 * Returns a stage or alias to the version that held it before the current one, in one step.
 * Unprotected targets move at once. Protected ones follow their rule: with emergency rollback
 * allowed the request is recorded and applied at once; otherwise it waits for the usual approvals
 * and gates. Audited, on the timeline, announced to watchers and webhooks.
 */
export async function rollbackTarget({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof rollbackInput> }) {
  const data = parseInput(rollbackInput, input);
  requireUser(ctx);
  if (data.target.kind === "tag") throw conflict("A tag has no previous holder to return to; set it on the version you want");
  const model = await modelByName(ctx, data.modelName);
  const current = await holderOf(ctx, model.id, data.target);
  if (!current) throw conflict(`Nothing holds ${describeTarget(data.target)} of '${model.name}'`);
  const [move] = await ctx.db
    .select({ fromVersion: registryEvents.fromVersion })
    .from(registryEvents)
    .where(
      and(
        eq(registryEvents.modelId, model.id),
        eq(registryEvents.target, data.target.name),
        eq(registryEvents.toVersion, current.version),
        inArray(registryEvents.kind, MOVES),
      ),
    )
    .orderBy(desc(registryEvents.id))
    .limit(1);
  if (!move?.fromVersion) throw conflict(`${describeTarget(data.target)} of '${model.name}' has no earlier version to return to`);
  const previous = await versionOf(ctx, model, move.fromVersion);
  const justification = data.justification || `Roll back ${describeTarget(data.target)} from version ${current.version} to ${previous.version}.`;
  const rule = await ruleFor(ctx, model.id, data.target);

  if (rule) {
    const via = ctx.door === "cli" ? "cli" : ctx.door === "ui" ? "ui" : "api";
    const request = await openRequest({
      ctx,
      input: { modelName: model.name, version: previous.version, target: data.target, justification },
      via,
      rollback: true,
    });
    if (!rule.allowEmergencyRollback) return { applied: false, request: request.number, from: current.version, to: previous.version };
    await inTransaction(ctx, (tx) => applyRequest(tx, request, model, previous, []));
    return { applied: true, request: request.number, from: current.version, to: previous.version };
  }

  await inTransaction(ctx, async (tx) => {
    if (data.target.kind === "stage") await moveStage(tx, model, previous, data.target.name as VersionRow["stage"], true, { rollback: true });
    else await moveAlias(tx, model, data.target.name, previous, { rollback: true });
    await recordRegistryEvent(tx, {
      model,
      kind: "promotion.rolled_back",
      target: data.target.name,
      fromVersion: current.version,
      toVersion: previous.version,
      details: { justification, targetKind: data.target.kind },
    });
    await recordAudit(tx, {
      project: ctx.project,
      action: "promotion.rollback",
      target: { type: "registered_model", id: model.id },
      before: { version: current.version },
      after: { version: previous.version, target: describeTarget(data.target), justification },
    });
    await publish(tx, {
      project: ctx.project,
      kind: "promotion.rolled_back",
      title: `Rolled back: ${model.name} ${describeTarget(data.target)} returned to version ${previous.version}`,
      body: justification,
      path: `/p/${ctx.project.slug}/models/${encodeURIComponent(model.name)}`,
      watched: [
        { type: "registered_model", id: model.id },
        { type: "project", id: ctx.project.id },
      ],
      webhook: {
        event: "promotion.rolled_back",
        payload: { model: model.name, target: data.target, version: String(previous.version), previousVersion: String(current.version) },
      },
    });
  });
  return { applied: true, request: null, from: current.version, to: previous.version };
}
