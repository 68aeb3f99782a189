import type { ProjectContext } from "../../context";
import { queue } from "../../jobs/queue";

/** The job queues of alert evaluation: on demand (debounced per subject), and the periodic sweep. */
export const ALERT_QUEUES = { evaluate: "alert-evaluation", sweep: "alert-sweep" } as const;

/** What one evaluation job looks at: a model's monitoring rules, a run's training rules, or one rule. */
export type EvaluationScope = { modelId: string } | { runUuid: string } | { ruleId: string };
export type EvaluationJob = { projectId: string } & EvaluationScope;

/** Seconds a burst of telemetry batches or log batches for one subject is gathered into one evaluation. */
const DEBOUNCE_SECONDS = 10;

const keyOf = (scope: EvaluationScope) =>
  "modelId" in scope ? `model:${scope.modelId}` : "runUuid" in scope ? `run:${scope.runUuid}` : `rule:${scope.ruleId}`;

/**
 * Queues an evaluation, debounced per subject: batches arriving in a burst give one job, run at
 * most DEBOUNCE_SECONDS after the first, and one more for what came after it started. A process
 * that runs no queue (the CLI) leaves it to the periodic sweep.
 */
export async function queueEvaluation(ctx: ProjectContext, scope: EvaluationScope): Promise<void> {
  const job: EvaluationJob = { projectId: ctx.project.id, ...scope };
  await queue()?.sendDebounced(ALERT_QUEUES.evaluate, job, {}, DEBOUNCE_SECONDS, keyOf(scope));
}
