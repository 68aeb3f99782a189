import { and, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { metricSeries } from "../../db/schema";
import type { MonitoringConfig } from "./config";

/** The run metric keys a production metric is compared with when the model names none, in order of preference. */
function validationKeyCandidates(config: Pick<MonitoringConfig, "metric" | "validationMetric">): string[] {
  if (config.validationMetric) return [config.validationMetric];
  return [`val_${config.metric}`, `validation_${config.metric}`, config.metric];
}

/**
 * The value a version's run logged at validation for the model's production metric: the configured
 * key, or else the first of val_<metric>, validation_<metric>, <metric> the run has (its latest value).
 * `key` is the key read (or, when the run has none, the configured one).
 */
export async function validationMetric(
  ctx: ServiceContext,
  runId: string | null,
  config: Pick<MonitoringConfig, "metric" | "validationMetric">,
): Promise<{ key: string | null; value: number | null }> {
  const candidates = validationKeyCandidates(config);
  if (!runId) return { key: config.validationMetric, value: null };
  const rows = await ctx.db
    .select({ key: metricSeries.key, value: metricSeries.value })
    .from(metricSeries)
    .where(and(eq(metricSeries.runId, runId), inArray(metricSeries.key, candidates)));
  for (const key of candidates) {
    const row = rows.find((r) => r.key === key);
    if (row) return { key, value: row.value };
  }
  return { key: config.validationMetric, value: null };
}
