import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { modelVersions, registeredModels } from "./registry";
import { timestamptz, users } from "./users";

/**
 * One column of a reference distribution. Numeric columns are binned at the reference's quantiles:
 * `edges` are the inner cut points, so there are `edges.length + 1` bins, the first and last open.
 * Categorical columns keep their most frequent `categories`, and one last bin for every other value.
 */
export type ReferenceColumn = {
  name: string;
  role: "feature" | "prediction";
  kind: "numeric" | "categorical";
  edges?: number[];
  categories?: string[];
  /** Reference counts per bin, in bin order. */
  counts: number[];
  /** Reference rows where the value was absent or null. */
  missing: number;
};

/** The distribution a monitored version is compared with: its inputs and predictions at training or validation. */
export const monitoringReferences = pgTable(
  "monitoring_references",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    /** "api", or "artifact:<run id>/<path>" for a table or file the run logged. */
    source: text().notNull(),
    rows: integer().notNull(),
    columns: jsonb().$type<ReferenceColumn[]>().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.versionId)],
);

export const MONITORING_TASKS = ["classification", "regression"] as const;
export type MonitoringTask = (typeof MONITORING_TASKS)[number];
export const PRODUCTION_METRICS = ["accuracy", "mae", "rmse"] as const;
export type ProductionMetric = (typeof PRODUCTION_METRICS)[number];

/** How a registered model is watched in production; defaults apply while no row exists. */
export const modelMonitoring = pgTable("model_monitoring", {
  modelId: uuid()
    .primaryKey()
    .references(() => registeredModels.id, { onDelete: "cascade" }),
  projectId: uuid()
    .notNull()
    .references(() => projects.id, { onDelete: "cascade" }),
  task: text({ enum: MONITORING_TASKS }).notNull().default("classification"),
  metric: text({ enum: PRODUCTION_METRICS }).notNull().default("accuracy"),
  /** The key of the run metric the production metric is compared with, e.g. "val_accuracy". */
  validationMetric: text(),
  /** Days raw inference records are kept; aggregates are kept for good. */
  retentionDays: integer().notNull().default(30),
  updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/**
 * Raw inference records, kept for the model's retention so that labels arriving later can be joined
 * by record id and retries recognised. `target` is the alias the caller addressed ("" for a version).
 */
export const inferenceRecords = pgTable(
  "inference_records",
  {
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    recordId: text().notNull(),
    // No foreign keys beyond the model's: these rows arrive 10,000 a batch, and each key costs a
    // lookup per row (measured: three keys tripled the insert). The model's key deletes them with
    // the model and its project; versions are only ever deleted with their model.
    projectId: uuid().notNull(),
    versionId: uuid().notNull(),
    target: text().notNull(),
    at: timestamptz().notNull(),
    features: jsonb().$type<Record<string, unknown>>().notNull(),
    prediction: jsonb(),
    label: jsonb(),
    labelledAt: timestamptz(),
    receivedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.recordId] }), index().on(t.receivedAt)],
);

/** Per-hour histogram counts of one reference column for one version behind one target. */
export const telemetryHistograms = pgTable(
  "telemetry_histograms",
  {
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    target: text().notNull(),
    windowStart: timestamptz().notNull(),
    column: text().notNull(),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    /** Counts per bin of the reference column, in its bin order. */
    counts: integer().array().notNull(),
    missing: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.target, t.windowStart, t.column] }), index().on(t.modelId, t.target, t.windowStart)],
);

/** Per-hour volume and, once labels arrive, the sums the production metric is computed from. */
export const telemetryWindows = pgTable(
  "telemetry_windows",
  {
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    target: text().notNull(),
    windowStart: timestamptz().notNull(),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    records: integer().notNull().default(0),
    labelled: integer().notNull().default(0),
    /** Classification: labelled records whose prediction equalled the label. */
    correct: integer().notNull().default(0),
    /** Regression: sums of |prediction − label| and (prediction − label)². */
    absErrorSum: doublePrecision().notNull().default(0),
    squaredErrorSum: doublePrecision().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.target, t.windowStart] }), index().on(t.modelId, t.target, t.windowStart)],
);

export const ALERT_KINDS = ["drift", "decay", "no_traffic", "run_failed", "metric_threshold"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A maintainer's rule: when it holds for a subject (a target, a feature, a run), an alert opens. */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Monitoring rules watch one model; training rules may name none. */
    modelId: uuid().references(() => registeredModels.id, { onDelete: "cascade" }),
    name: text().notNull(),
    kind: text({ enum: ALERT_KINDS }).notNull(),
    /** Kind-specific settings (threshold, windows, margin, hours, metric, comparison, target), validated by the service. */
    config: jsonb().$type<Record<string, unknown>>().notNull(),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index().on(t.projectId, t.kind)],
);

/** An alert: opened when its rule starts to hold for a subject, resolved when it stops. One open alert per rule and subject. */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    ruleId: uuid()
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    modelId: uuid().references(() => registeredModels.id, { onDelete: "cascade" }),
    /** What the alert is about, e.g. "target:champion/feature:age" or "run:<id>"; the de-duplication key. */
    subject: text().notNull(),
    status: text({ enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    title: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    openedAt: timestamptz().notNull().defaultNow(),
    lastSeenAt: timestamptz().notNull().defaultNow(),
    resolvedAt: timestamptz(),
  },
  (t) => [
    uniqueIndex("alerts_open_subject")
      .on(t.ruleId, t.subject)
      .where(sql`${t.status} = 'open'`),
    index().on(t.projectId, t.status, t.openedAt),
  ],
);

/** The sections of a model card, in the order a card shows them. */
export const MODEL_CARD_FIELDS = ["intendedUse", "outOfScopeUses", "trainingData", "evaluation", "limitations", "ethicalConsiderations", "owners"] as const;
export type ModelCardField = (typeof MODEL_CARD_FIELDS)[number];
export type ModelCardContent = Partial<Record<ModelCardField, string>>;

/** A registered model's card (versionId null) or one version's card, which travels with that version. */
export const modelCards = pgTable(
  "model_cards",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    versionId: uuid().references(() => modelVersions.id, { onDelete: "cascade" }),
    content: jsonb().$type<ModelCardContent>().notNull().default({}),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("model_cards_model")
      .on(t.modelId)
      .where(sql`${t.versionId} is null`),
    uniqueIndex("model_cards_version")
      .on(t.versionId)
      .where(sql`${t.versionId} is not null`),
  ],
);
