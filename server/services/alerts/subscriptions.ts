import { and, eq, inArray } from "drizzle-orm";
import { afterCommit, type ProjectContext } from "../../context";
import { getDb } from "../../db/client";
import { alertRules } from "../../db/schema";
import { queue } from "../../jobs/queue";
import { subscribe } from "../events";
import { subscribeTelemetry } from "../monitoring/telemetry-events";
import { queueEvaluation } from "./queue";

/** How long a process trusts its answer to "does this project have training rules?". */
const TRAINING_RULES_TTL_MS = 30_000;
const trainingRules = new Map<string, { has: boolean; until: number }>();

async function hasTrainingRules(ctx: ProjectContext): Promise<boolean> {
  const known = trainingRules.get(ctx.project.id);
  if (known && known.until > Date.now()) return known.has;
  const [row] = await ctx.db
    .select({ id: alertRules.id })
    .from(alertRules)
    .where(and(eq(alertRules.projectId, ctx.project.id), eq(alertRules.enabled, true), inArray(alertRules.kind, ["run_failed", "metric_threshold"])))
    .limit(1);
  trainingRules.set(ctx.project.id, { has: Boolean(row), until: Date.now() + TRAINING_RULES_TTL_MS });
  return Boolean(row);
}

/** Forgets what this process knew of a project's training rules (a rule was just saved). */
export function forgetTrainingRules(projectId: string): void {
  trainingRules.delete(projectId);
}

/**
 * Alerts' part in what monitoring and tracking announce. Nothing is evaluated on their paths: a
 * telemetry batch queues its model's evaluation, and a run's change (status, logged metrics)
 * queues the run's once the change has committed, without waiting for the queue, and only when
 * the project has training rules (known per process for 30 s, so log batches pay no query).
 */
export function subscribeAlerts(): void {
  subscribeTelemetry((ctx, modelId) => queueEvaluation(ctx, { modelId }));
  subscribe("evidence.changed", async (ctx, changed) => {
    // A process without a queue (the CLI) evaluates nothing: training alerts follow server traffic.
    if (!("runUuid" in changed) || !queue()) return;
    const { runUuid } = changed;
    afterCommit(ctx, async () => {
      // The change's transaction has ended: look up on the pool, not on its connection.
      const committed = { ...ctx, db: getDb() };
      void (async () => {
        if (await hasTrainingRules(committed)) await queueEvaluation(committed, { runUuid });
      })().catch((error: unknown) => console.error("cairn: could not queue a run's alert evaluation:", error));
    });
  });
}
