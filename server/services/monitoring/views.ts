import { and, asc, eq, gte, inArray, lt, max, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelVersions, monitoringReferences, telemetryHistograms, telemetryWindows, type ProductionMetric, type ReferenceColumn } from "../../db/schema";
import { notFound } from "../../errors";
import { monitoringConfig } from "./config";
import { columnDrift, type ColumnDrift } from "./drift";
import { productionMetric } from "./production-metric";
import { validationMetric } from "./validation-metric";

const HOUR_MS = 3_600_000;
/** The longest range a page or a rule reads at once: 90 days of hourly windows. */
const MAX_RANGE_HOURS = 90 * 24;

/** A time range [from, to), at most MAX_RANGE_HOURS long. */
export const rangeInput = z
  .object({ from: z.coerce.date(), to: z.coerce.date() })
  .refine((r) => r.from < r.to, { message: "from must be before to", path: ["from"] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RANGE_HOURS * HOUR_MS, { message: "a range may span at most 90 days", path: ["from"] });

type Range = { from: Date; to: Date };

export type TargetWindow = {
  windowStart: Date;
  versions: number[];
  records: number;
  labelled: number;
  metric: number | null;
  drift: Record<string, ColumnDrift>;
};

export type ProductionRecord = {
  versionId: string;
  version: number;
  records: number;
  labelled: number;
  lastRecordAt: Date | null;
  metric: { name: ProductionMetric; value: number | null; validationKey: string | null; validation: number | null };
  worstDrift: { column: string; psi: number } | null;
};

const sums = {
  records: sql<number>`coalesce(sum(${telemetryWindows.records}), 0)::int`,
  labelled: sql<number>`coalesce(sum(${telemetryWindows.labelled}), 0)::int`,
  correct: sql<number>`coalesce(sum(${telemetryWindows.correct}), 0)::int`,
  absErrorSum: sql<number>`coalesce(sum(${telemetryWindows.absErrorSum}), 0)::float8`,
  squaredErrorSum: sql<number>`coalesce(sum(${telemetryWindows.squaredErrorSum}), 0)::float8`,
};

/** Telemetry is read through the project's versions, so a model id of another project reads nothing. */
const inProject = (ctx: ProjectContext) => eq(modelVersions.projectId, ctx.project.id);

/** The reference columns of each version that has a reference, by version id. */
async function referencesOf(ctx: ProjectContext, versionIds: string[]): Promise<Map<string, ReferenceColumn[]>> {
  if (!versionIds.length) return new Map();
  const rows = await ctx.db
    .select({ versionId: monitoringReferences.versionId, columns: monitoringReferences.columns })
    .from(monitoringReferences)
    .where(and(eq(monitoringReferences.projectId, ctx.project.id), inArray(monitoringReferences.versionId, versionIds)));
  return new Map(rows.map((r) => [r.versionId, r.columns]));
}

/**
 * Histogram counts added up over hours, per version and column, bin by bin, in one query (the
 * arrays are summed by PostgreSQL, not shipped hour by hour).
 */
async function summedCounts(ctx: ProjectContext, where: SQL): Promise<{ versionId: string; column: string; counts: number[]; missing: number }[]> {
  const rows = await ctx.db.execute<{ version_id: string; column: string; bin: number; n: number; missing: number }>(sql`
    select h.version_id, h.column, u.bin::int - 1 as bin, sum(u.n)::int as n, max(h.missing_total)::int as missing
    from (
      select ${telemetryHistograms.versionId} as version_id, ${telemetryHistograms.column} as column, ${telemetryHistograms.counts} as counts,
        sum(${telemetryHistograms.missing}) over (partition by ${telemetryHistograms.versionId}, ${telemetryHistograms.column}) as missing_total
      from ${telemetryHistograms} join ${modelVersions} on ${modelVersions.id} = ${telemetryHistograms.versionId}
      where ${where}
    ) h, unnest(h.counts) with ordinality as u(n, bin)
    group by h.version_id, h.column, u.bin
    order by h.version_id, h.column, u.bin`);
  const out = new Map<string, { versionId: string; column: string; counts: number[]; missing: number }>();
  for (const r of rows) {
    const key = `${r.version_id}\u0000${r.column}`;
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = { versionId: r.version_id, column: r.column, counts: [], missing: r.missing }));
    entry.counts[r.bin] = r.n;
  }
  return [...out.values()].map((e) => ({ ...e, counts: Array.from(e.counts, (n) => n ?? 0) }));
}

const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/**
 * A target's hourly windows in a range, oldest first: only the hours that saw records. Each hour
 * carries its volume, its production metric once labels arrived, and the drift of each reference
 * column. When two versions served one hour (an alias moved), a column's drift is that of the
 * version that saw most of its values then: each version is compared with its own reference.
 */
export async function targetWindows(ctx: ProjectContext, modelId: string, target: string, range: Range): Promise<TargetWindow[]> {
  const inRange = (start: typeof telemetryWindows.windowStart | typeof telemetryHistograms.windowStart) => and(gte(start, range.from), lt(start, range.to));
  const [config, windowRows, histogramRows] = await Promise.all([
    monitoringConfig(ctx, modelId),
    ctx.db
      .select({
        windowStart: telemetryWindows.windowStart,
        versionId: telemetryWindows.versionId,
        version: modelVersions.version,
        records: telemetryWindows.records,
        labelled: telemetryWindows.labelled,
        correct: telemetryWindows.correct,
        absErrorSum: telemetryWindows.absErrorSum,
        squaredErrorSum: telemetryWindows.squaredErrorSum,
      })
      .from(telemetryWindows)
      .innerJoin(modelVersions, eq(modelVersions.id, telemetryWindows.versionId))
      .where(and(eq(telemetryWindows.modelId, modelId), eq(telemetryWindows.target, target), inRange(telemetryWindows.windowStart), inProject(ctx)))
      .orderBy(asc(telemetryWindows.windowStart), asc(modelVersions.version)),
    ctx.db
      .select({
        windowStart: telemetryHistograms.windowStart,
        versionId: telemetryHistograms.versionId,
        column: telemetryHistograms.column,
        counts: telemetryHistograms.counts,
      })
      .from(telemetryHistograms)
      .innerJoin(modelVersions, eq(modelVersions.id, telemetryHistograms.versionId))
      .where(and(eq(telemetryHistograms.modelId, modelId), eq(telemetryHistograms.target, target), inRange(telemetryHistograms.windowStart), inProject(ctx))),
  ]);
  const references = await referencesOf(ctx, [...new Set(histogramRows.map((h) => h.versionId))]);

  const windows = new Map<number, TargetWindow & { sums: { labelled: number; correct: number; absErrorSum: number; squaredErrorSum: number } }>();
  for (const w of windowRows) {
    const at = w.windowStart.getTime();
    let entry = windows.get(at);
    if (!entry) {
      windows.set(
        at,
        (entry = {
          windowStart: w.windowStart,
          versions: [],
          records: 0,
          labelled: 0,
          metric: null,
          drift: {},
          sums: { labelled: 0, correct: 0, absErrorSum: 0, squaredErrorSum: 0 },
        }),
      );
    }
    entry.versions.push(w.version);
    entry.records += w.records;
    entry.labelled += w.labelled;
    entry.sums.labelled += w.labelled;
    entry.sums.correct += w.correct;
    entry.sums.absErrorSum += w.absErrorSum;
    entry.sums.squaredErrorSum += w.squaredErrorSum;
  }

  // Per hour and column, the version whose histogram holds the most values.
  const chosen = new Map<string, { windowStart: number; column: ReferenceColumn; counts: number[]; n: number }>();
  for (const h of histogramRows) {
    const column = references.get(h.versionId)?.find((c) => c.name === h.column);
    if (!column) continue;
    const key = `${h.windowStart.getTime()}\u0000${h.column}`;
    const n = total(h.counts);
    const held = chosen.get(key);
    if (!held || n > held.n) chosen.set(key, { windowStart: h.windowStart.getTime(), column, counts: h.counts, n });
  }
  for (const c of chosen.values()) {
    const entry = windows.get(c.windowStart);
    if (entry && c.n > 0) entry.drift[c.column.name] = columnDrift(c.column, c.counts);
  }

  return [...windows.values()].map(({ sums: s, ...w }) => ({ ...w, metric: productionMetric(config.metric, s) }));
}

/** One bin of a column's histogram: its label and the share of values it holds, in the reference and in production. */
type DriftBin = { label: string; reference: number; current: number };
export type RangeColumnDrift = ColumnDrift & {
  column: string;
  role: ReferenceColumn["role"];
  kind: ReferenceColumn["kind"];
  version: number;
  values: number;
  missing: number;
  bins: DriftBin[];
};

const formatEdge = (x: number) => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());

/** How a page names each bin: "≤ 3", "(3, 7]", "> 7" for numeric columns; the category, then "other". */
export function binLabels(column: ReferenceColumn): string[] {
  if (column.kind === "categorical") return [...(column.categories ?? []), "other"];
  const edges = column.edges ?? [];
  if (!edges.length) return ["all"];
  return [`≤ ${formatEdge(edges[0]!)}`, ...edges.slice(1).map((e, i) => `(${formatEdge(edges[i]!)}, ${formatEdge(e)}]`), `> ${formatEdge(edges.at(-1)!)}`];
}

const shares = (counts: number[]) => {
  const n = total(counts);
  return counts.map((c) => (n ? c / n : 0));
};

/**
 * Every reference column's drift over a whole range of a target (its hours' counts added up), worst
 * PSI first, with both histograms as shares per bin. A column is reported per version that served
 * it in the range, each against its own reference.
 */
export async function targetDrift(ctx: ProjectContext, modelId: string, target: string, range: Range): Promise<RangeColumnDrift[]> {
  const counted = await summedCounts(
    ctx,
    and(
      eq(telemetryHistograms.modelId, modelId),
      eq(telemetryHistograms.target, target),
      gte(telemetryHistograms.windowStart, range.from),
      lt(telemetryHistograms.windowStart, range.to),
      inProject(ctx),
    )!,
  );
  const versionIds = [...new Set(counted.map((c) => c.versionId))];
  const [references, numbers] = await Promise.all([
    referencesOf(ctx, versionIds),
    versionIds.length
      ? ctx.db
          .select({ id: modelVersions.id, version: modelVersions.version })
          .from(modelVersions)
          .where(and(inArray(modelVersions.id, versionIds), inProject(ctx)))
      : [],
  ]);
  const versionNumber = new Map(numbers.map((v) => [v.id, v.version]));
  const out: RangeColumnDrift[] = [];
  for (const c of counted) {
    const column = references.get(c.versionId)?.find((r) => r.name === c.column);
    const version = versionNumber.get(c.versionId);
    if (!column || version === undefined || total(c.counts) === 0) continue;
    const labels = binLabels(column);
    const ref = shares(column.counts);
    const cur = shares(labels.map((_, i) => c.counts[i] ?? 0));
    out.push({
      ...columnDrift(column, c.counts),
      column: column.name,
      role: column.role,
      kind: column.kind,
      version,
      values: total(c.counts),
      missing: c.missing,
      bins: labels.map((label, i) => ({ label, reference: ref[i] ?? 0, current: cur[i] ?? 0 })),
    });
  }
  return out.sort((a, b) => b.psi - a.psi || a.column.localeCompare(b.column));
}

/**
 * What a version has shown in production since `since`, over every target it served: volume, the
 * production metric beside the value its run logged at validation, and its worst-drifting column.
 * `lastRecordAt` is the start of the latest hour that saw a record (aggregates keep hours, not instants).
 */
export async function versionProductionRecord(ctx: ProjectContext, versionId: string, since: Date): Promise<ProductionRecord> {
  const [version] = await ctx.db
    .select({ id: modelVersions.id, version: modelVersions.version, modelId: modelVersions.modelId, runId: modelVersions.runId })
    .from(modelVersions)
    .where(and(eq(modelVersions.id, versionId), inProject(ctx)));
  if (!version) throw notFound("Model version not found");
  const config = await monitoringConfig(ctx, version.modelId);
  const [[totals], validation, counted, references] = await Promise.all([
    ctx.db
      .select({ ...sums, lastRecordAt: max(telemetryWindows.windowStart) })
      .from(telemetryWindows)
      .where(and(eq(telemetryWindows.versionId, versionId), gte(telemetryWindows.windowStart, since))),
    validationMetric(ctx, version.runId, config),
    summedCounts(ctx, and(eq(telemetryHistograms.versionId, versionId), gte(telemetryHistograms.windowStart, since), inProject(ctx))!),
    referencesOf(ctx, [versionId]),
  ]);
  let worstDrift: ProductionRecord["worstDrift"] = null;
  for (const c of counted) {
    const column = references.get(versionId)?.find((r) => r.name === c.column);
    if (!column || total(c.counts) === 0) continue;
    const { psi } = columnDrift(column, c.counts);
    if (!worstDrift || psi > worstDrift.psi) worstDrift = { column: column.name, psi };
  }
  return {
    versionId,
    version: version.version,
    records: totals!.records,
    labelled: totals!.labelled,
    lastRecordAt: totals!.lastRecordAt,
    metric: { name: config.metric, value: productionMetric(config.metric, totals!), validationKey: validation.key, validation: validation.value },
    worstDrift,
  };
}

/** The targets a model has served records under (an alias, or "" for versions addressed directly), the most recently active first. */
export async function monitoredTargets(
  ctx: ProjectContext,
  modelId: string,
): Promise<{ target: string; versions: number[]; records: number; lastRecordAt: Date | null }[]> {
  const rows = await ctx.db
    .select({
      target: telemetryWindows.target,
      versions: sql<number[]>`array_agg(distinct ${modelVersions.version} order by ${modelVersions.version})`,
      records: sums.records,
      lastRecordAt: max(telemetryWindows.windowStart),
    })
    .from(telemetryWindows)
    .innerJoin(modelVersions, eq(modelVersions.id, telemetryWindows.versionId))
    .where(and(eq(telemetryWindows.modelId, modelId), inProject(ctx)))
    .groupBy(telemetryWindows.target)
    .orderBy(sql`max(${telemetryWindows.windowStart}) desc`, asc(telemetryWindows.target));
  return rows;
}
