import { and, eq } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { datasets, experiments, metricSeries, runInputs, runs, users } from "../../db/schema";
import type { Signature } from "../registry/mlmodel";
import { modelDirectoryOf, readMlmodel } from "../registry/model-files";
import type { ModelRow, VersionRow } from "../registry/shared";
import { runIdOf } from "../tracking/ids";

/** What Cairn knows about a version without anyone writing it down: where it came from, what it takes, how it scored. */
export type CardFacts = {
  registeredBy: string;
  registeredAt: Date;
  description: string;
  source: string;
  run: { runId: string; name: string; status: string; experimentId: string; experimentName: string } | null;
  signature: Signature | null;
  metrics: { key: string; value: number }[];
  datasets: { name: string; digest: string; sourceType: string; context: string | null }[];
};

async function nameOf(ctx: ProjectContext, userId: string | null, fallback: string) {
  if (!userId) return fallback;
  const [user] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return user?.name ?? fallback;
}

/** A version's lineage, signature (from its MLmodel file), source-run metrics and logged datasets. */
export async function versionFacts(ctx: ProjectContext, version: VersionRow): Promise<CardFacts> {
  const directory = modelDirectoryOf(version.storageLocation ?? version.source);
  const [registeredBy, mlmodel, run, metrics, inputs] = await Promise.all([
    nameOf(ctx, version.createdBy, version.userName),
    directory ? readMlmodel(ctx, directory) : Promise.resolve(null),
    version.runId
      ? ctx.db
          .select({ id: runs.id, name: runs.name, status: runs.status, experimentNumber: experiments.number, experimentName: experiments.name })
          .from(runs)
          .innerJoin(experiments, eq(experiments.id, runs.experimentId))
          .where(and(eq(runs.id, version.runId), eq(runs.projectId, ctx.project.id)))
      : Promise.resolve([]),
    version.runId
      ? ctx.db.select({ key: metricSeries.key, value: metricSeries.value }).from(metricSeries).where(eq(metricSeries.runId, version.runId))
      : Promise.resolve([]),
    version.runId
      ? ctx.db
          .select({ name: datasets.name, digest: datasets.digest, sourceType: datasets.sourceType, tags: runInputs.tags })
          .from(runInputs)
          .innerJoin(datasets, eq(datasets.id, runInputs.datasetId))
          .where(eq(runInputs.runId, version.runId))
      : Promise.resolve([]),
  ]);
  const r = run[0];
  return {
    registeredBy,
    registeredAt: version.createdAt,
    description: version.description,
    source: version.source,
    run: r ? { runId: runIdOf(r.id), name: r.name, status: r.status, experimentId: String(r.experimentNumber), experimentName: r.experimentName } : null,
    signature: mlmodel?.signature ?? null,
    metrics: metrics.filter((m) => Number.isFinite(m.value)).sort((a, b) => a.key.localeCompare(b.key)),
    datasets: inputs.map((d) => ({
      name: d.name,
      digest: d.digest,
      sourceType: d.sourceType,
      context: d.tags.find((t) => t.key === "mlflow.data.context")?.value ?? null,
    })),
  };
}

/** A registered model's own facts: who created it, and its description. */
export async function modelFacts(ctx: ProjectContext, model: ModelRow) {
  return { registeredBy: await nameOf(ctx, model.createdBy, model.userName), description: model.description };
}
