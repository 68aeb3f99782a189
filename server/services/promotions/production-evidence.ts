import { and, desc, eq, inArray } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { registryEvents, type Gate } from "../../db/schema";
import { listAlerts } from "../alerts/views";
import { versionProductionRecord, type ProductionRecord } from "../monitoring/views";
import type { VersionRow } from "../registry/shared";
import type { ProductionEvidence } from "./gates";
import type { Target } from "./targets";

const HOUR_MS = 3_600_000;
/** A review weighs the holder's recent production, not its whole life: at most this far back. */
const PRODUCTION_WINDOW_MS = 30 * 24 * HOUR_MS;
/** The page lists the newest open alerts; a model with more has bigger problems than this list. */
const OPEN_ALERTS_SHOWN = 10;
/** The timeline entries by which a version takes a stage, an alias or a tag. */
const TOOK_TARGET = ["stage.changed", "alias.set", "promotion.applied", "promotion.rolled_back"];

/**
 * Since when the holder's production counts: the moment it took the target (its latest entry on the
 * model's timeline for that target), or its registration when the timeline has none; capped at 30
 * days, from the start of that hour.
 */
async function holdingSince(ctx: ProjectContext, modelId: string, target: Target, holder: VersionRow): Promise<Date> {
  const [took] = await ctx.db
    .select({ at: registryEvents.createdAt })
    .from(registryEvents)
    .where(
      and(
        eq(registryEvents.projectId, ctx.project.id),
        eq(registryEvents.modelId, modelId),
        eq(registryEvents.target, target.name),
        eq(registryEvents.toVersion, holder.version),
        inArray(registryEvents.kind, TOOK_TARGET),
      ),
    )
    .orderBy(desc(registryEvents.id))
    .limit(1);
  const since = Math.max((took?.at ?? holder.createdAt).getTime(), Date.now() - PRODUCTION_WINDOW_MS);
  // Telemetry is kept by the hour: the hour it took the target in counts whole.
  return new Date(Math.floor(since / HOUR_MS) * HOUR_MS);
}

/** The holder's production record over its holding window, as a gate weighs it. */
export function productionEvidence(record: ProductionRecord, since: Date): ProductionEvidence {
  return { metric: record.metric.name, value: record.metric.value, labelled: record.labelled, since };
}

/** What a beats-production gate compares with; loaded only when one of the gates asks for it. */
export async function productionEvidenceFor(ctx: ProjectContext, gates: Gate[], target: Target, holder: VersionRow | null): Promise<ProductionEvidence | null> {
  if (!holder || !gates.some((g) => g.type === "beats_production")) return null;
  const since = await holdingSince(ctx, holder.modelId, target, holder);
  return productionEvidence(await versionProductionRecord(ctx, holder.id, since), since);
}

/**
 * The current holder's record in production, for the request page beside the candidate: volume,
 * production metric against its validation value and worst drift since it took the target, and
 * the model's open alerts.
 */
export async function holderProduction(ctx: ProjectContext, target: Target, holder: VersionRow) {
  const since = await holdingSince(ctx, holder.modelId, target, holder);
  const [record, openAlerts] = await Promise.all([
    versionProductionRecord(ctx, holder.id, since),
    listAlerts(ctx, { modelId: holder.modelId, status: "open", limit: OPEN_ALERTS_SHOWN }),
  ]);
  return { since, record, openAlerts };
}
