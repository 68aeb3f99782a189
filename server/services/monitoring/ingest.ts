import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { afterCommit, inTransaction, type ProjectContext } from "../../context";
import {
  inferenceRecords,
  modelAliases,
  modelVersions,
  monitoringReferences,
  telemetryHistograms,
  telemetryWindows,
  type ReferenceColumn,
} from "../../db/schema";
import { conflict, invalid, notFound } from "../../errors";
import { aliasField, modelByName, modelNameField, versionField, versionOf, type ModelRow } from "../registry/shared";
import { binCount, binOf } from "./binning";
import { monitoringConfig } from "./config";
import { announceTelemetry } from "./telemetry-events";

/** One batch is one transaction: small enough to hold its locks briefly, large enough for 10,000 records/s. */
const MAX_BATCH = 10_000;
const MAX_FEATURES = 500;
const HOUR_MS = 3_600_000;
// Timestamps PostgreSQL stores and a person means: from 1970 to the end of 9999.
const MAX_EPOCH_MS = 253_402_300_799_999;

const scalar = z.union([z.string().max(10_000, "text values may be at most 10,000 characters"), z.number(), z.boolean(), z.null()]);
const recordId = z.string().min(1, "id must not be empty").max(200, "id may be at most 200 characters");

const timestamp = z
  .union([
    z.iso.datetime({ offset: true, message: "timestamp must be an ISO 8601 date-time with a time zone, or epoch milliseconds" }),
    z.number().int("timestamp in epoch milliseconds must be a whole number").min(0).max(MAX_EPOCH_MS),
  ])
  .transform((t) => (typeof t === "number" ? t : Date.parse(t)))
  .refine((ms) => ms >= 0 && ms <= MAX_EPOCH_MS, "timestamp must lie between 1970 and 9999");

const uniqueIds = (items: { id: string }[]) => new Set(items.map((i) => i.id)).size === items.length;

const recordsInput = z
  .object({
    model: modelNameField,
    version: versionField.optional(),
    alias: aliasField.optional(),
    records: z
      .array(
        z.object({
          id: recordId,
          timestamp: timestamp.optional(),
          features: z
            .record(z.string().min(1).max(500), scalar, { error: "features must be an object of numbers, strings, booleans or nulls" })
            .refine((f) => Object.keys(f).length <= MAX_FEATURES, `at most ${MAX_FEATURES} features a record`),
          prediction: scalar.optional(),
        }),
      )
      .min(1, "records must not be empty")
      .max(MAX_BATCH, `at most ${MAX_BATCH.toLocaleString("en")} records a batch`)
      .refine(uniqueIds, "record ids must be unique within a batch"),
  })
  .refine((i) => (i.version === undefined) !== (i.alias === undefined), { message: "give either version or alias", path: ["version"] });

const labelsInput = z.object({
  model: modelNameField,
  labels: z
    .array(z.object({ id: recordId, label: z.union([z.string().max(10_000), z.number(), z.boolean()]) }))
    .min(1, "labels must not be empty")
    .max(MAX_BATCH, `at most ${MAX_BATCH.toLocaleString("en")} labels a batch`)
    .refine(uniqueIds, "record ids must be unique within a batch"),
});

/** Validates a batch whole; the message names the first few problems, not one per bad record of ten thousand. */
function parseBatch<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const shown = issues.slice(0, 5).map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : "";
  throw invalid(`The batch was refused, nothing was stored: ${shown.join("; ")}${more}`);
}

/** The version a batch addresses: by number, or the one the alias points at (unknown aliases are not found). */
async function addressedVersion(ctx: ProjectContext, model: ModelRow, address: { version?: number; alias?: string }) {
  if (address.version !== undefined) return versionOf(ctx, model, address.version);
  const [row] = await ctx.db
    .select({ version: modelVersions })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, address.alias!)));
  if (!row) throw notFound(`Registered model '${model.name}' has no alias '${address.alias}'`);
  return row.version;
}

/** Listeners hear of a batch once it is stored: at once, or when the caller's own transaction commits. */
async function announce(ctx: ProjectContext, modelId: string) {
  if (ctx.afterCommit) afterCommit(ctx, () => announceTelemetry(ctx, modelId));
  else await announceTelemetry(ctx, modelId);
}

const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

type NewRecord = { at: number; features: Record<string, unknown>; prediction: unknown };

/** Histogram counts per hour and reference column of the records actually inserted, in a stable order (for lock order). */
function histogramsOf(columns: ReferenceColumn[], records: NewRecord[]) {
  const byKey = new Map<string, { window: number; column: string; counts: number[]; missing: number }>();
  for (const record of records) {
    const window = hourOf(record.at);
    for (const column of columns) {
      const key = `${window}\u0000${column.name}`;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { window, column: column.name, counts: new Array<number>(binCount(column)).fill(0), missing: 0 }));
      const bin = binOf(column, column.role === "prediction" ? record.prediction : record.features[column.name]);
      if (bin === null) entry.missing++;
      else entry.counts[bin]!++;
    }
  }
  return [...byKey.values()].sort((a, b) => a.window - b.window || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
}

/**
 * Stores a batch of inference records for a version, addressed by number or by alias (the alias
 * is the target the records are counted under). The batch is validated whole and stored in one
 * transaction; a record id already stored for the model (within its raw-record retention) is a
 * duplicate and counted once. New records are counted in their hour's volume and, once the
 * version has a reference, binned into its histograms (records that arrived before the reference
 * count in volume only).
 */
export async function ingestRecords(ctx: ProjectContext, input: unknown): Promise<{ accepted: number; duplicates: number }> {
  const data = parseBatch(recordsInput, input);
  const model = await modelByName(ctx, data.model);
  const version = await addressedVersion(ctx, model, data);
  const target = data.alias ?? "";
  const now = Date.now();
  const records = data.records.map((r) => ({ id: r.id, at: r.timestamp ?? now, features: r.features, prediction: r.prediction ?? null }));
  const accepted = await inTransaction(ctx, async (tx) => {
    const [reference] = await tx.db
      .select({ columns: monitoringReferences.columns })
      .from(monitoringReferences)
      .where(eq(monitoringReferences.versionId, version.id))
      // A replacement waits for this batch, and this batch for a replacement (see setReference).
      .for("share");
    const inserted = await tx.db.execute<{ id: string }>(sql`
      insert into ${inferenceRecords} (model_id, record_id, project_id, version_id, target, at, features, prediction)
      select ${model.id}::uuid, r.id, ${ctx.project.id}::uuid, ${version.id}::uuid, ${target}, to_timestamp(r.ms / 1000.0), r.features::jsonb, r.prediction::jsonb
      from unnest(
        ${sql.param(records.map((r) => r.id))}::text[],
        ${sql.param(records.map((r) => r.at))}::float8[],
        ${sql.param(records.map((r) => JSON.stringify(r.features)))}::text[],
        ${sql.param(records.map((r) => JSON.stringify(r.prediction)))}::text[]
      ) as r(id, ms, features, prediction)
      order by r.id
      on conflict do nothing
      returning record_id as id`);
    if (!inserted.length) return 0;
    const fresh = new Set(inserted.map((r) => r.id));
    const added = records.filter((r) => fresh.has(r.id));

    const volume = new Map<number, number>();
    for (const r of added) volume.set(hourOf(r.at), (volume.get(hourOf(r.at)) ?? 0) + 1);
    const windows = [...volume].sort(([a], [b]) => a - b);
    await tx.db.execute(sql`
      insert into ${telemetryWindows} (version_id, target, window_start, model_id, records)
      select ${version.id}::uuid, ${target}, to_timestamp(w.ms / 1000.0), ${model.id}::uuid, w.n
      from unnest(${sql.param(windows.map(([ms]) => ms))}::float8[], ${sql.param(windows.map(([, n]) => n))}::int[]) as w(ms, n)
      on conflict (version_id, target, window_start) do update set records = ${telemetryWindows}.records + excluded.records`);

    const histograms = reference ? histogramsOf(reference.columns, added) : [];
    if (histograms.length) {
      await tx.db.execute(sql`
        insert into ${telemetryHistograms} (version_id, target, window_start, "column", model_id, counts, missing)
        select ${version.id}::uuid, ${target}, to_timestamp(h.ms / 1000.0), h.name, ${model.id}::uuid, h.counts::int[], h.missing
        from unnest(
          ${sql.param(histograms.map((h) => h.window))}::float8[],
          ${sql.param(histograms.map((h) => h.column))}::text[],
          ${sql.param(histograms.map((h) => `{${h.counts.join(",")}}`))}::text[],
          ${sql.param(histograms.map((h) => h.missing))}::int[]
        ) as h(ms, name, counts, missing)
        on conflict (version_id, target, window_start, "column") do update set
          counts = (
            select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
            from unnest(${telemetryHistograms}.counts, excluded.counts) with ordinality as u(a, b, i)
          ),
          missing = ${telemetryHistograms}.missing + excluded.missing`);
    }
    return added.length;
  });
  if (accepted) await announce(ctx, model.id);
  return { accepted, duplicates: records.length - accepted };
}

type Labelled = { id: string; versionId: string; target: string; at: Date; prediction: unknown; label: unknown };

/** The same label again is a duplicate; scalars compare by their text, so 1 and "1" agree. */
const sameValue = (a: unknown, b: unknown) => String(a) === String(b);

/**
 * Joins ground-truth labels to stored records by id, for the production metric. Refused whole when
 * an id is unknown (never sent, or past its retention: NOT_FOUND naming a few) or already carries
 * a different label (CONFLICT: the first label wins); the same label again is a duplicate. Each
 * label counts in the window of the record it labels: correct or not for a classifier, absolute
 * and squared error for a regressor (the model's monitoring task decides).
 */
export async function ingestLabels(ctx: ProjectContext, input: unknown): Promise<{ accepted: number; duplicates: number }> {
  const data = parseBatch(labelsInput, input);
  const model = await modelByName(ctx, data.model);
  const { task } = await monitoringConfig(ctx, model.id);
  const labels = [...data.labels].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const accepted = await inTransaction(ctx, async (tx) => {
    const stored = await tx.db.execute<Labelled>(sql`
      select r.record_id as id, r.version_id as "versionId", r.target, r.at, r.prediction, r.label
      from ${inferenceRecords} r
      where r.model_id = ${model.id}::uuid and r.record_id = any(${sql.param(labels.map((l) => l.id))}::text[])
      order by r.record_id
      for update`);
    const byId = new Map(stored.map((r) => [r.id, r]));
    const unknown = labels.filter((l) => !byId.has(l.id)).map((l) => l.id);
    if (unknown.length) {
      throw notFound(
        `No inference record of model '${model.name}' has the id ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ""}; nothing was stored`,
      );
    }
    const relabelled = labels.filter((l) => {
      const previous = byId.get(l.id)!.label;
      return previous !== null && !sameValue(previous, l.label);
    });
    if (relabelled.length) {
      throw conflict(
        `Record ${relabelled
          .slice(0, 5)
          .map((l) => l.id)
          .join(", ")} already has a different label; the first label stands and nothing was stored`,
      );
    }
    const fresh = labels.filter((l) => byId.get(l.id)!.label === null);
    if (!fresh.length) return 0;

    const windows = new Map<string, { versionId: string; target: string; ms: number; labelled: number; correct: number; abs: number; squared: number }>();
    for (const l of fresh) {
      const record = byId.get(l.id)!;
      const ms = hourOf(new Date(record.at).getTime());
      const key = `${record.versionId}\u0000${record.target}\u0000${ms}`;
      let w = windows.get(key);
      if (!w) windows.set(key, (w = { versionId: record.versionId, target: record.target, ms, labelled: 0, correct: 0, abs: 0, squared: 0 }));
      w.labelled++;
      if (task === "classification") {
        if (record.prediction !== null && sameValue(record.prediction, l.label)) w.correct++;
      } else {
        const error = Number(record.prediction) - Number(l.label);
        if (record.prediction === null || typeof record.prediction === "boolean" || !Number.isFinite(error)) {
          throw invalid(
            `Record ${l.id}: a regression model's prediction and label must be numbers (got ${JSON.stringify(record.prediction)} and ${JSON.stringify(l.label)}); nothing was stored`,
          );
        }
        w.abs += Math.abs(error);
        w.squared += error * error;
      }
    }

    await tx.db.execute(sql`
      update ${inferenceRecords} r set label = l.label::jsonb, labelled_at = now()
      from unnest(${sql.param(fresh.map((l) => l.id))}::text[], ${sql.param(fresh.map((l) => JSON.stringify(l.label)))}::text[]) as l(id, label)
      where r.model_id = ${model.id}::uuid and r.record_id = l.id`);
    const rows = [...windows.values()].sort(
      (a, b) => (a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) || a.ms - b.ms,
    );
    await tx.db.execute(sql`
      insert into ${telemetryWindows} (version_id, target, window_start, model_id, labelled, correct, abs_error_sum, squared_error_sum)
      select w.version_id, w.target, to_timestamp(w.ms / 1000.0), ${model.id}::uuid, w.labelled, w.correct, w.abs, w.squared
      from unnest(
        ${sql.param(rows.map((w) => w.versionId))}::uuid[],
        ${sql.param(rows.map((w) => w.target))}::text[],
        ${sql.param(rows.map((w) => w.ms))}::float8[],
        ${sql.param(rows.map((w) => w.labelled))}::int[],
        ${sql.param(rows.map((w) => w.correct))}::int[],
        ${sql.param(rows.map((w) => w.abs))}::float8[],
        ${sql.param(rows.map((w) => w.squared))}::float8[]
      ) as w(version_id, target, ms, labelled, correct, abs, squared)
      on conflict (version_id, target, window_start) do update set
        labelled = ${telemetryWindows}.labelled + excluded.labelled,
        correct = ${telemetryWindows}.correct + excluded.correct,
        abs_error_sum = ${telemetryWindows}.abs_error_sum + excluded.abs_error_sum,
        squared_error_sum = ${telemetryWindows}.squared_error_sum + excluded.squared_error_sum`);
    return fresh.length;
  });
  if (accepted) await announce(ctx, model.id);
  return { accepted, duplicates: labels.length - accepted };
}
