import type { ProjectContext } from "../../context";
import { promotionRequests } from "../../db/schema";
import { recordAudit, type AuditEntry } from "../audit";
import { publish, type DomainEvent } from "../events";
import { recordRegistryEvent, type RegistryEvent } from "../registry/shared";
import { ownRequest, requestPath, type RequestRow } from "./request-rows";
import { isOpen } from "./status";

/** The columns a transition may change; closing a request stamps `closedAt` by itself. */
type RequestChange = Partial<Pick<RequestRow, "status" | "stale" | "evidence" | "gateResults" | "holderVersionId">>;

export type Transition = {
  /** The decided new state; omitted when the row is already written (a request just opened). */
  set?: RequestChange;
  /** The model's timeline entry (its target defaults to the request's). */
  event: RegistryEvent;
  /** The audit row, about the request; omitted for consequences nobody chose (a request going stale). */
  audit?: Pick<AuditEntry, "action" | "before" | "after">;
  /** Who hears of it, and the webhook event; every notification leads to the request's page. */
  notify?: Omit<DomainEvent, "project" | "path">;
};

/**
 * Every change of a request's state, written once: the new state is recorded by an update that
 * names the project and the request in the same statement, then the timeline entry, the audit row
 * and the notifications (with their webhook deliveries) follow in the caller's transaction, so a
 * failure anywhere rolls the whole transition back.
 */
export async function transition(ctx: ProjectContext, request: RequestRow, change: Transition): Promise<RequestRow> {
  let row = request;
  if (change.set) {
    const closes = change.set.status !== undefined && !isOpen(change.set.status);
    const now = new Date();
    const [updated] = await ctx.db
      .update(promotionRequests)
      .set({ ...change.set, ...(closes && { closedAt: now }), updatedAt: now })
      .where(ownRequest(ctx, request.id))
      .returning();
    row = updated!;
  }
  await recordRegistryEvent(ctx, { target: request.targetName, ...change.event });
  if (change.audit) await recordAudit(ctx, { project: ctx.project, target: { type: "promotion_request", id: request.id }, ...change.audit });
  if (change.notify) await publish(ctx, { project: ctx.project, path: requestPath(ctx, request.number), ...change.notify });
  return row;
}
