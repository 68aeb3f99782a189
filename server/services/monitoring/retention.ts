import { lt, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { inferenceRecords } from "../../db/schema";
import { monitoringConfig } from "./config";

const DAY_MS = 86_400_000;
const BATCH = 10_000;

/**
 * Deletes raw inference records received longer ago than their model's retention, a batch at a
 * time so that no statement holds its locks for long; the hourly aggregates stay for good. Past
 * its retention a record can no longer be labelled, and a retried record id is stored again as a
 * new record: idempotency on record id holds within the retention. Returns how many were deleted.
 */
export async function deleteExpiredRecords(ctx: ServiceContext, now = new Date()): Promise<{ records: number }> {
  // A retention is at least one day: models with nothing older than that have nothing to delete.
  const candidates = await ctx.db
    .selectDistinct({ modelId: inferenceRecords.modelId })
    .from(inferenceRecords)
    .where(lt(inferenceRecords.receivedAt, new Date(now.getTime() - DAY_MS)));
  let deleted = 0;
  for (const { modelId } of candidates) {
    const { retentionDays } = await monitoringConfig(ctx, modelId);
    const before = new Date(now.getTime() - retentionDays * DAY_MS);
    for (;;) {
      const [row] = await ctx.db.execute<{ n: number }>(sql`
        with doomed as (
          select model_id, record_id from ${inferenceRecords}
          where model_id = ${modelId}::uuid and received_at < ${before.toISOString()}::timestamptz
          limit ${BATCH}
          for update skip locked
        ),
        gone as (
          delete from ${inferenceRecords} r using doomed d
          where r.model_id = d.model_id and r.record_id = d.record_id
          returning 1
        )
        select count(*)::int as n from gone`);
      deleted += row!.n;
      if (row!.n < BATCH) break;
    }
  }
  return { records: deleted };
}
