import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./users";

/**
 * Append-only record of changes. No foreign keys on purpose: the trail outlives the project,
 * user or token it mentions, so labels are copied at write time. Rows form hash chains, one per
 * project and one for instance-level rows (no project): see server/services/audit-trail.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid(),
    projectSlug: text(),
    actorUserId: uuid(),
    actorTokenId: uuid(),
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** Position in the chain (1, 2, …). Null only for a row written by an older Cairn, until chained. */
    seq: bigint({ mode: "number" }),
    prevHash: text(),
    hash: text(),
  },
  (t) => [
    index().on(t.projectId, t.id),
    index().on(t.createdAt),
    uniqueIndex("audit_events_project_chain_key").on(t.projectId, t.seq),
    uniqueIndex("audit_events_instance_chain_key")
      .on(t.seq)
      .where(sql`${t.projectId} is null`),
    index("audit_events_unchained_idx")
      .on(t.projectId)
      .where(sql`${t.seq} is null`),
  ],
);
