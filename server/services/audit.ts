import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { actorLabel } from "../access/actor";
import type { ProjectContext, ServiceContext } from "../context";
import { auditEvents } from "../db/schema";
import { parseInput } from "../errors";
import { appendToTrail } from "./audit-trail/append";

export type AuditEntry = {
  project?: { id: string; slug: string } | null;
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
};

/**
 * Records one audit row in the transaction of the change it describes, so a failed audit rolls
 * the change back; the row joins its hash chain as the transaction commits.
 */
export async function recordAudit(ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await appendToTrail(ctx, {
    log: "audit",
    values: {
      projectId: entry.project?.id ?? null,
      projectSlug: entry.project?.slug ?? null,
      actorUserId: actor.kind === "user" ? actor.user.id : null,
      actorTokenId: actor.kind === "user" && actor.via === "token" ? actor.token.id : null,
      actorLabel: actorLabel(actor),
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      before: entry.before,
      after: entry.after,
    },
  });
}

export const auditPageInput = z.object({
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

const columns = {
  id: auditEvents.id,
  projectSlug: auditEvents.projectSlug,
  actorLabel: auditEvents.actorLabel,
  action: auditEvents.action,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  before: auditEvents.before,
  after: auditEvents.after,
  createdAt: auditEvents.createdAt,
};

async function pageOf(ctx: ServiceContext, scope: SQL | undefined, input: z.input<typeof auditPageInput>) {
  const { before, limit } = parseInput(auditPageInput, input);
  const rows = await ctx.db
    .select(columns)
    .from(auditEvents)
    .where(and(scope, before ? lt(auditEvents.id, before) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const events = more ? rows.slice(0, limit) : rows;
  return { events, nextBefore: more ? events.at(-1)!.id : null };
}

/** The project's audit trail, newest first. */
export async function listProjectAudit({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof auditPageInput> }) {
  return pageOf(ctx, eq(auditEvents.projectId, ctx.project.id), input);
}

/** Every audit row of the instance, newest first (administrators). */
export async function listInstanceAudit({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof auditPageInput> }) {
  return pageOf(ctx, undefined, input);
}
