import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { accessTokens } from "./tokens";
import { timestamptz, users } from "./users";

const ms = () => bigint({ mode: "number" });

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export const runStatus = pgEnum("run_status", RUN_STATUSES);

/**
 * Experiments are numbered per project: the number is MLflow's `experiment_id`, so every project is
 * its own MLflow namespace with a Default experiment "0". Names stay reserved after deletion.
 */
export const experiments = pgTable(
  "experiments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    name: text().notNull(),
    artifactLocation: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    deletedAt: timestamptz(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.number), uniqueIndex().on(t.projectId, t.name)],
);

export const experimentTags = pgTable(
  "experiment_tags",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

/** Runs carry their project id too, so every query filters by tenant without a join. */
export const runs = pgTable(
  "runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    status: runStatus().notNull().default("RUNNING"),
    startTime: ms().notNull(),
    endTime: ms(),
    /** MLflow's `user_id`: the client's login name, as it reported it. */
    userName: text().notNull().default(""),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdByToken: uuid().references(() => accessTokens.id, { onDelete: "set null" }),
    artifactUri: text().notNull(),
    updatedAt: timestamptz().notNull().defaultNow(),
    deletedAt: timestamptz(),
  },
  (t) => [
    index().on(t.experimentId, t.startTime),
    index().on(t.projectId, t.startTime),
    index().on(t.deletedAt),
    // The runs table's default order (newest first, then id) over a project's active runs: its first
    // window is the first rows of this index, not a sort of every run, and its count an index-only scan.
    index("runs_active_newest_idx")
      .on(t.projectId, t.startTime.desc().nullsLast(), t.id)
      .where(sql`${t.deletedAt} is null`),
  ],
);

export const runParams = pgTable(
  "run_params",
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index().on(t.key, t.value)],
);

export const runTags = pgTable(
  "run_tags",
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index().on(t.key, t.value)],
);

export const KEY_KINDS = ["metrics", "params", "tags"] as const;
export const keyKind = pgEnum("key_kind", KEY_KINDS);

/**
 * Every metric, param and tag key an experiment's runs have logged, kept at ingest (a row is added
 * in the statement that logs a key's first value in the experiment), so the column chooser lists
 * 10,000 keys from one index instead of grouping every series of 100,000 runs. A key once logged
 * stays: a purged run or a deleted tag does not take it back.
 */
export const experimentKeys = pgTable(
  "experiment_keys",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    kind: keyKind().notNull(),
    key: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.kind, t.key] })],
);

/**
 * One row per (run, metric key): the latest value by MLflow's rule (largest step, then timestamp,
 * then value), the min and max of the non-NaN values, and the number of points. Search, tables and
 * charts read this instead of the history. The primary key leads with the run, the column it is
 * distributed by in docs/SCALING.md, because Citus enforces a key only when it holds that column.
 */
export const metricSeries = pgTable(
  "metric_series",
  {
    id: bigint({ mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: doublePrecision().notNull(),
    step: ms().notNull(),
    timestamp: ms().notNull(),
    min: doublePrecision(),
    max: doublePrecision(),
    count: ms().notNull().default(0),
    /** Whether `metric_rollups` holds this series (set in the transaction that builds them). */
    rolledUp: boolean().notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] }), uniqueIndex().on(t.runId, t.key), index().on(t.key, t.value)],
);

/**
 * The full history. The primary key is four fixed-width columns (no text, no run id): it orders a
 * series by step for range scans, and makes a retried batch a no-op. There is deliberately no
 * foreign key (per-row checks would tax ingest); points are removed with their series by the purge.
 */
export const metricPoints = pgTable(
  "metric_points",
  {
    seriesId: bigint({ mode: "number" }).notNull(),
    step: ms().notNull(),
    timestamp: ms().notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.step, t.timestamp, t.value] })],
);

/**
 * Pre-aggregated buckets of long series on the step axis: bucket `b` of width `w` (a power of two)
 * covers steps `b·w … b·w + w − 1` and holds the count, the min and max of the non-NaN values
 * (null when all are NaN), the first and last step present, and the last point by [step, timestamp,
 * value]. Written at ingest, in the batch's transaction, for series flagged `rolled_up` only; the
 * chart reads them instead of every point. Keyed by series first, like `metric_points`, so both
 * distribute on the same column; removed with their points by the purge.
 */
export const metricRollups = pgTable(
  "metric_rollups",
  {
    seriesId: bigint({ mode: "number" }).notNull(),
    width: integer().notNull(),
    bucket: ms().notNull(),
    count: ms().notNull(),
    min: doublePrecision(),
    max: doublePrecision(),
    x0: ms().notNull(),
    x1: ms().notNull(),
    lastStep: ms().notNull(),
    lastTimestamp: ms().notNull(),
    lastValue: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.width, t.bucket] })],
);

/** Datasets are shared by the runs of a project that log the same (name, digest). */
export const datasets = pgTable(
  "datasets",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    digest: text().notNull(),
    sourceType: text().notNull(),
    source: text().notNull(),
    schema: text(),
    profile: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.name, t.digest)],
);

export const runInputs = pgTable(
  "run_inputs",
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** Input tags such as `mlflow.data.context` (training, validation, …). */
    tags: jsonb().$type<{ key: string; value: string }[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetId] }), index().on(t.datasetId)],
);

export const LOGGED_MODEL_STATUSES = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"] as const;
export const loggedModelStatus = pgEnum("logged_model_status", LOGGED_MODEL_STATUSES);

/** MLflow 3 logged models: the client creates one at every `log_model`. */
export const loggedModels = pgTable(
  "logged_models",
  {
    id: text().primaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    artifactUri: text().notNull(),
    status: loggedModelStatus().notNull().default("LOGGED_MODEL_PENDING"),
    statusMessage: text().notNull().default(""),
    modelType: text().notNull().default(""),
    sourceRunId: uuid().references(() => runs.id, { onDelete: "set null" }),
    userName: text().notNull().default(""),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: ms().notNull(),
    updatedAt: ms().notNull(),
    deletedAt: timestamptz(),
  },
  (t) => [index().on(t.projectId, t.createdAt), index().on(t.sourceRunId)],
);

export const loggedModelTags = pgTable(
  "logged_model_tags",
  {
    modelId: text()
      .notNull()
      .references(() => loggedModels.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

export const loggedModelParams = pgTable(
  "logged_model_params",
  {
    modelId: text()
      .notNull()
      .references(() => loggedModels.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

/** Models a run produced (MLflow 3 `runs/outputs`) or consumed (`log-inputs` models). */
export const runModels = pgTable(
  "run_models",
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    modelId: text()
      .notNull()
      .references(() => loggedModels.id, { onDelete: "cascade" }),
    direction: text({ enum: ["input", "output"] }).notNull(),
    step: ms().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.modelId, t.direction] })],
);
