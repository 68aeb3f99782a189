import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { loggedModels, runs } from "./tracking";
import { timestamptz, users } from "./users";

export const STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type Stage = (typeof STAGES)[number];

export const registeredModels = pgTable(
  "registered_models",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    /** Highest version number ever issued: numbers are never reused, even after a deletion. */
    lastVersion: integer().notNull().default(0),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    userName: text().notNull().default(""),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.name)],
);

export const registeredModelTags = pgTable(
  "registered_model_tags",
  {
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    source: text().notNull(),
    /** Where the files are (a concrete mlflow-artifacts URI), when `source` is indirect. */
    storageLocation: text(),
    runId: uuid().references(() => runs.id, { onDelete: "set null" }),
    runLink: text().notNull().default(""),
    loggedModelId: text().references(() => loggedModels.id, { onDelete: "set null" }),
    description: text().notNull().default(""),
    /** The model's flavor (sklearn, pytorch, …) read from its MLmodel file at registration. */
    framework: text(),
    stage: text({ enum: STAGES }).notNull().default("None"),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    userName: text().notNull().default(""),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    deletedAt: timestamptz(),
  },
  (t) => [uniqueIndex().on(t.modelId, t.version), index().on(t.runId), index().on(t.projectId, t.updatedAt)],
);

export const modelVersionTags = pgTable(
  "model_version_tags",
  {
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.key] })],
);

export const modelAliases = pgTable(
  "model_aliases",
  {
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    alias: text().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] }), index().on(t.versionId)],
);

/**
 * The registry's history: registrations, stage changes, alias moves (and, later, approvals and
 * rollbacks). It answers "what held Production on date X, and who put it there". Each project's
 * rows form one hash chain (server/services/audit-trail), so the model id has no foreign key: a
 * deleted model's timeline stays, or the chain would break.
 */
export const registryEvents = pgTable(
  "registry_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid().notNull(),
    kind: text().notNull(),
    /** The stage or alias concerned, for stage and alias events. */
    target: text(),
    fromVersion: integer(),
    toVersion: integer(),
    actorUserId: uuid(),
    actorLabel: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** Position in the project's chain (1, 2, …). Null only for a row written by an older Cairn, until chained. */
    seq: bigint({ mode: "number" }),
    prevHash: text(),
    hash: text(),
  },
  (t) => [
    index().on(t.modelId, t.id),
    index().on(t.projectId, t.id),
    uniqueIndex("registry_events_chain_key").on(t.projectId, t.seq),
    index("registry_events_unchained_idx")
      .on(t.projectId)
      .where(sql`${t.seq} is null`),
  ],
);
