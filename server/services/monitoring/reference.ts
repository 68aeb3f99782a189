import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { monitoringReferences, telemetryHistograms, type ReferenceColumn } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { modelDirectoryOf, readMlmodel } from "../registry/model-files";
import { modelByName, modelNameField, versionField, versionOf, type VersionRow } from "../registry/shared";
import { openRunArtifact } from "../tracking/artifacts";
import { runIdOf } from "../tracking/ids";
import { referenceColumns, type Table } from "./reference-columns";
import { MAX_REFERENCE_FILE_BYTES, tableFromFile, tableSchema } from "./reference-table";

const columnName = z.string().min(1).max(500);

const referenceInput = z
  .object({
    model: modelNameField,
    version: versionField,
    /** Defaults to a column named "prediction" when the table has one. */
    prediction: columnName.optional(),
    /** Defaults to a column named "label" when the table has one that is not a signature input. */
    label: columnName.optional(),
    rows: tableSchema.optional(),
    /** A file of the version's source run, relative to its artifact root. */
    artifact: z.string().min(1).max(4096).optional(),
  })
  .refine((i) => (i.rows === undefined) !== (i.artifact === undefined), { message: "give either rows or artifact", path: ["rows"] });

const referenceKeyInput = z.object({ model: modelNameField, version: versionField });

type ReferenceSummary = { model: string; version: number; source: string; rows: number; columns: ReferenceColumn[]; createdAt: Date };

/** The signature's inputs of the version's MLmodel, or null when it has none or its files live outside Cairn. */
async function signatureInputs(ctx: ProjectContext, version: VersionRow) {
  const directory = modelDirectoryOf(version.storageLocation ?? version.source);
  const mlmodel = directory ? await readMlmodel(ctx, directory) : null;
  return mlmodel?.signature?.inputs.length ? mlmodel.signature.inputs : null;
}

/** Reads a table the version's source run logged, refusing a file too large to be a sample. */
async function runTable(ctx: ProjectContext, version: VersionRow, path: string): Promise<{ table: Table; source: string }> {
  if (!version.runId) throw invalid("This version has no source run to read an artifact from; post the rows instead");
  const runId = runIdOf(version.runId);
  const file = await openRunArtifact({ ctx, input: { runId, path } });
  if (file.size > MAX_REFERENCE_FILE_BYTES) {
    file.body.destroy();
    throw invalid(
      `'${path}' is ${Math.ceil(file.size / 1024 / 1024)} MiB; a reference file may be at most ${MAX_REFERENCE_FILE_BYTES / 1024 / 1024} MiB, so log a sample`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of file.body) chunks.push(chunk as Buffer);
  return { table: await tableFromFile(path, Buffer.concat(chunks)), source: `artifact:${runId}/${path}` };
}

/** The bins a reference's columns define: two references with the same bins count traffic alike. */
const binsOf = (columns: ReferenceColumn[]) => JSON.stringify(columns.map((c) => [c.name, c.role, c.kind, c.edges ?? null, c.categories ?? null]));

/**
 * Sets a version's reference distribution, replacing any earlier one: from rows posted through the
 * API or a table, CSV or Parquet file its source run logged. Histograms of production traffic to
 * the version are binned against the reference it has when the traffic arrives, so a replacement
 * with other bins clears the version's histograms (counts of two binnings cannot be added or
 * compared): drift starts again from the new reference, while volume and labels stay. The
 * reference row is locked, and ingest reads it under a share lock, so no batch bins against the
 * old reference after the replacement commits. Audited.
 */
export async function setReference(ctx: ProjectContext, input: unknown): Promise<ReferenceSummary> {
  const data = parseInput(referenceInput, input);
  const model = await modelByName(ctx, data.model);
  const version = await versionOf(ctx, model, data.version);
  const { table, source } = data.rows ? { table: data.rows, source: "api" } : await runTable(ctx, version, data.artifact!);
  if (!table.data.length) throw invalid("The reference table has no rows");
  const columns = referenceColumns(table, { prediction: data.prediction, label: data.label, signatureInputs: await signatureInputs(ctx, version) });
  if (!columns.length) throw invalid("The reference table has no feature or prediction columns to watch");
  const values = { projectId: ctx.project.id, modelId: model.id, versionId: version.id, source, rows: table.data.length, columns };
  const createdBy = ctx.actor.kind === "user" ? ctx.actor.user.id : null;
  const row = await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select({ source: monitoringReferences.source, rows: monitoringReferences.rows, columns: monitoringReferences.columns })
      .from(monitoringReferences)
      .where(eq(monitoringReferences.versionId, version.id))
      .for("update");
    const [saved] = await tx.db
      .insert(monitoringReferences)
      .values({ ...values, createdBy })
      .onConflictDoUpdate({ target: monitoringReferences.versionId, set: { ...values, createdBy, createdAt: new Date() } })
      .returning();
    const rebinned = before !== undefined && binsOf(before.columns) !== binsOf(columns);
    const cleared = rebinned
      ? (await tx.db.delete(telemetryHistograms).where(eq(telemetryHistograms.versionId, version.id)).returning({ column: telemetryHistograms.column })).length
      : 0;
    await recordAudit(tx, {
      project: ctx.project,
      action: "monitoring.set_reference",
      target: { type: "model_version", id: version.id },
      before: before ? { source: before.source, rows: before.rows } : null,
      after: { model: model.name, version: version.version, source, rows: values.rows, columns: columns.map((c) => c.name), clearedHistograms: cleared },
    });
    return saved!;
  });
  return { model: model.name, version: version.version, source: row.source, rows: row.rows, columns: row.columns, createdAt: row.createdAt };
}

/** A version's reference, or NOT_FOUND when none was set. */
export async function getReference(ctx: ProjectContext, input: unknown): Promise<ReferenceSummary> {
  const data = parseInput(referenceKeyInput, input);
  const model = await modelByName(ctx, data.model);
  const version = await versionOf(ctx, model, data.version);
  const [row] = await ctx.db
    .select()
    .from(monitoringReferences)
    .where(and(eq(monitoringReferences.projectId, ctx.project.id), eq(monitoringReferences.versionId, version.id)));
  if (!row) throw notFound(`Model '${model.name}' version ${version.version} has no reference yet; PUT one from rows or a run's artifact`);
  return { model: model.name, version: version.version, source: row.source, rows: row.rows, columns: row.columns, createdAt: row.createdAt };
}
