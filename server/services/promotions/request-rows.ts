import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { mayApprove } from "../../access/promotions";
import type { ProjectContext } from "../../context";
import { modelVersions, projectMembers, promotionRequests, promotionRules, registeredModels, users } from "../../db/schema";
import { conflict, notFound } from "../../errors";
import type { ModelRow, VersionRow } from "../registry/shared";
import { runIdOf } from "../tracking/ids";
import type { Rule } from "./rules";
import { isOpen } from "./status";
import type { Target } from "./targets";

export type RequestRow = typeof promotionRequests.$inferSelect;

export const requestNumberInput = z.object({ number: z.number().int().positive() });

/** Where a request's page lives, the path every notification about it leads to. */
export const requestPath = (ctx: ProjectContext, number: number) => `/p/${ctx.project.slug}/promotions/${number}`;

/** One of this project's requests: every statement on a request carries the project (defence in depth). */
export const ownRequest = (ctx: ProjectContext, id: string) => and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.id, id));

export const targetOf = (request: RequestRow): Target => ({ kind: request.targetKind, name: request.targetName });

/** A request of the project by number, locked for the rest of the transaction so its transitions are serialised. */
export async function lockedRequest(ctx: ProjectContext, number: number): Promise<RequestRow> {
  const [row] = await ctx.db
    .select()
    .from(promotionRequests)
    .where(and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.number, number)))
    .for("update");
  if (!row) throw notFound(`Promotion request #${number} not found`);
  return row;
}

/** Refuses to act on a request that was already decided. */
export function assertOpen(request: RequestRow): void {
  if (!isOpen(request.status)) throw conflict(`Request #${request.number} is already ${request.status.replace("_", " ")}`);
}

/** The model and candidate version a request is about, read within the project. */
export async function subjectOf(ctx: ProjectContext, request: RequestRow): Promise<{ model: ModelRow; version: VersionRow }> {
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

/** The rule a request is judged by now (null if the target was unprotected since). */
export async function ruleOf(ctx: ProjectContext, request: RequestRow): Promise<Rule | null> {
  if (!request.ruleId) return null;
  const [rule] = await ctx.db
    .select()
    .from(promotionRules)
    .where(and(eq(promotionRules.projectId, ctx.project.id), eq(promotionRules.id, request.ruleId)));
  return rule ?? null;
}

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
export async function approversNow(ctx: ProjectContext, rule: Rule, requestedBy: string | null, among?: string[]): Promise<Set<string>> {
  const members = await enabledMembers(ctx, among);
  return new Set(members.filter((m) => mayApprove(m, rule, requestedBy)).map((m) => m.userId));
}

/** What webhooks receive about a request, whatever happened to it. */
export function requestPayload(model: ModelRow, version: VersionRow, request: RequestRow) {
  return {
    request: request.number,
    model: model.name,
    version: String(version.version),
    target: { kind: request.targetKind, name: request.targetName, ...(request.targetValue !== null && { value: request.targetValue }) },
    runId: version.runId ? runIdOf(version.runId) : null,
  };
}
