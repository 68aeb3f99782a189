import { boolean, index, integer, jsonb, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ModelCardField } from "./monitoring";
import { projectRole, projects } from "./projects";
import { modelVersions, registeredModels } from "./registry";
import { timestamptz, users } from "./users";

export const TARGET_KINDS = ["stage", "alias", "tag"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A gate: an automatic check on the candidate version, evaluated before a promotion applies. */
export type Gate =
  | { type: "metric_vs_holder"; metric: string; comparison: "lt" | "lte" | "gt" | "gte"; passWithoutHolder: boolean }
  | { type: "metric_threshold"; metric: string; comparison: "lt" | "lte" | "gt" | "gte" | "eq"; value: number }
  | { type: "tag_equals"; tag: string; value: string; on: "version" | "run" }
  | { type: "run_status"; status: "FINISHED" }
  /** The candidate's card (its own sections or the model card's) has these sections written; none named: all of them. */
  | { type: "card_complete"; fields: ModelCardField[] }
  /** The candidate's validation metric beats, by `margin`, the holder's metric in production since it took the target. */
  | { type: "beats_production"; metric: string; margin: number; passWithoutEvidence: boolean };

/**
 * Protection of one target (a stage, an alias, or a version tag key) in a project, for every model
 * or for one. Rules are data: each edit bumps `revision` and keeps the old one in the history, and a
 * request is judged by the revision it was opened under.
 */
export const promotionRules = pgTable(
  "promotion_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    targetKind: text({ enum: TARGET_KINDS }).notNull(),
    targetName: text().notNull(),
    /** Null: the rule covers every registered model of the project. */
    modelId: uuid().references(() => registeredModels.id, { onDelete: "cascade" }),
    requiredApprovals: integer().notNull().default(1),
    approverRoles: projectRole().array().notNull().default(["owner", "maintainer"]),
    approverUserIds: uuid().array().notNull().default([]),
    allowSelfApproval: boolean().notNull().default(false),
    allowEmergencyRollback: boolean().notNull().default(false),
    gates: jsonb().$type<Gate[]>().notNull().default([]),
    revision: integer().notNull().default(1),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    // One rule per target and scope; a null model (every model) counts as one scope.
    unique("promotion_rules_target_unique").on(t.projectId, t.targetKind, t.targetName, t.modelId).nullsNotDistinct(),
    index().on(t.projectId),
  ],
);

export const promotionRuleRevisions = pgTable(
  "promotion_rule_revisions",
  {
    ruleId: uuid()
      .notNull()
      .references(() => promotionRules.id, { onDelete: "cascade" }),
    revision: integer().notNull(),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    changedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    changedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.revision] })],
);

export const REQUEST_STATUSES = ["open", "changes_requested", "applied", "rejected", "cancelled"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export type GateResult = { gate: Gate; passed: boolean; actual: string | null; expected: string; message: string };

/** A "pull request for a model": move this version to that target, once reviewers approve and gates pass. */
export const promotionRequests = pgTable(
  "promotion_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Per-project number shown to people (#12). */
    number: integer().notNull(),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    targetKind: text({ enum: TARGET_KINDS }).notNull(),
    targetName: text().notNull(),
    /** For tag targets, the value the tag will get. */
    targetValue: text(),
    ruleId: uuid().references(() => promotionRules.id, { onDelete: "set null" }),
    ruleRevision: integer(),
    justification: text().notNull().default(""),
    status: text({ enum: REQUEST_STATUSES }).notNull().default("open"),
    /** Evidence changed since the approvals (new metrics, or another version took the target). */
    stale: boolean().notNull().default(false),
    evidence: text().notNull(),
    gateResults: jsonb().$type<GateResult[]>().notNull().default([]),
    holderVersionId: uuid().references(() => modelVersions.id, { onDelete: "set null" }),
    rollback: boolean().notNull().default(false),
    requestedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    requestedVia: text({ enum: ["ui", "api", "mlflow", "cli"] }).notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    closedAt: timestamptz(),
  },
  (t) => [
    uniqueIndex().on(t.projectId, t.number),
    index().on(t.projectId, t.status),
    index().on(t.modelId, t.targetKind, t.targetName),
    index().on(t.versionId),
  ],
);

export const REVIEW_DECISIONS = ["approve", "reject", "request_changes"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const promotionReviews = pgTable(
  "promotion_reviews",
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => promotionRequests.id, { onDelete: "cascade" }),
    reviewerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    decision: text({ enum: REVIEW_DECISIONS }).notNull(),
    comment: text().notNull().default(""),
    /** Approvals given before the evidence changed no longer count. */
    dismissed: boolean().notNull().default(false),
    evidence: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index().on(t.requestId)],
);
