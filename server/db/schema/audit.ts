import { bigint, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./users";

/**
 * Append-only record of changes. No foreign keys on purpose: the trail outlives the project,
 * user or token it mentions, so labels are copied at write time.
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
  },
  (t) => [index().on(t.projectId, t.id), index().on(t.createdAt)],
);
