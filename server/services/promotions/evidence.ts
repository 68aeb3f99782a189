import { createHash } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { metricSeries, modelAliases, modelVersions, modelVersionTags, runs, runTags, type Gate } from "../../db/schema";
import { cardCompletenessOf } from "../model-cards/rows";
import type { VersionRow } from "../registry/shared";
import type { Evidence } from "./gates";
import { productionEvidenceFor } from "./production-evidence";
import type { Target } from "./targets";

/**
 * The version that holds a target now: the one an alias points at, the highest version in a stage,
 * or the highest version whose tag has the requested value.
 */
export async function holderOf(ctx: ProjectContext, modelId: string, target: Target, tagValue?: string | null): Promise<VersionRow | null> {
  if (target.kind === "alias") {
    const [row] = await ctx.db
      .select({ version: modelVersions })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelVersions.projectId, ctx.project.id), eq(modelAliases.modelId, modelId), eq(modelAliases.alias, target.name)));
    return row?.version ?? null;
  }
  if (target.kind === "stage") {
    const [row] = await ctx.db
      .select()
      .from(modelVersions)
      .where(
        and(
          eq(modelVersions.projectId, ctx.project.id),
          eq(modelVersions.modelId, modelId),
          eq(modelVersions.stage, target.name as VersionRow["stage"]),
          isNull(modelVersions.deletedAt),
        ),
      )
      .orderBy(desc(modelVersions.version))
      .limit(1);
    return row ?? null;
  }
  const [row] = await ctx.db
    .select({ version: modelVersions })
    .from(modelVersionTags)
    .innerJoin(modelVersions, eq(modelVersions.id, modelVersionTags.versionId))
    .where(
      and(
        eq(modelVersions.projectId, ctx.project.id),
        eq(modelVersions.modelId, modelId),
        eq(modelVersionTags.key, target.name),
        eq(modelVersionTags.value, tagValue ?? ""),
        isNull(modelVersions.deletedAt),
      ),
    )
    .orderBy(desc(modelVersions.version))
    .limit(1);
  return row?.version ?? null;
}

/** Loads what gates look at for a version (five small queries). */
export async function evidenceOf(ctx: ProjectContext, version: VersionRow): Promise<Evidence> {
  const [run, metrics, tags, versionTags, card] = await Promise.all([
    version.runId
      ? ctx.db
          .select({ status: runs.status })
          .from(runs)
          .where(and(eq(runs.id, version.runId), eq(runs.projectId, ctx.project.id)))
      : Promise.resolve([]),
    version.runId
      ? ctx.db.select({ key: metricSeries.key, value: metricSeries.value }).from(metricSeries).where(eq(metricSeries.runId, version.runId))
      : Promise.resolve([]),
    version.runId ? ctx.db.select({ key: runTags.key, value: runTags.value }).from(runTags).where(eq(runTags.runId, version.runId)) : Promise.resolve([]),
    ctx.db.select({ key: modelVersionTags.key, value: modelVersionTags.value }).from(modelVersionTags).where(eq(modelVersionTags.versionId, version.id)),
    cardCompletenessOf(ctx, version),
  ]);
  const record = <V>(rows: { key: string; value: V }[]) => Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<string, V>;
  return {
    version: version.version,
    runStatus: run[0]?.status ?? null,
    metrics: record(metrics),
    runTags: record(tags),
    versionTags: record(versionTags),
    cardFilled: card.filled,
  };
}

/** The holder's evidence, with its production record when one of `gates` compares with it. */
export async function holderEvidenceOf(ctx: ProjectContext, holder: VersionRow, gates: Gate[], target: Target): Promise<Evidence> {
  const [evidence, production] = await Promise.all([evidenceOf(ctx, holder), productionEvidenceFor(ctx, gates, target, holder)]);
  return { ...evidence, production };
}

/**
 * A fingerprint of everything a decision rests on: the candidate's evidence and which version holds
 * the target. When it changes, approvals given before no longer stand.
 */
export function fingerprintOf(candidate: Evidence, holder: VersionRow | null): string {
  const sorted = (o: Record<string, unknown>) =>
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]);
  const basis = JSON.stringify({
    holder: holder?.id ?? null,
    status: candidate.runStatus,
    metrics: sorted(candidate.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)]),
    runTags: sorted(candidate.runTags),
    versionTags: sorted(candidate.versionTags),
  });
  return createHash("sha256").update(basis).digest("hex");
}
