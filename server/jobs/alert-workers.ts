import { z } from "zod";
import { runEvaluationJob, sweepAlerts } from "../services/alerts/evaluate";
import { ALERT_QUEUES } from "../services/alerts/queue";
import type { Worker } from "./worker";

const jobData = z.union([
  z.object({ projectId: z.uuid(), modelId: z.uuid() }),
  z.object({ projectId: z.uuid(), runUuid: z.uuid() }),
  z.object({ projectId: z.uuid(), ruleId: z.uuid() }),
]);

/** Evaluates the alert rules of one model, run or rule, as queued by `queueEvaluation`. */
export const alertEvaluationWorker: Worker = {
  queue: ALERT_QUEUES.evaluate,
  options: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  async handle(job) {
    const data = jobData.safeParse(job.data);
    if (!data.success) {
      console.error(`cairn: alert evaluation job ${job.id} has no valid scope; dropped`);
      return;
    }
    await runEvaluationJob(data.data);
  },
};

/** Every five minutes: no-traffic rules, drift that aged out, runs with open alerts (see `sweepAlerts`). */
export const alertSweepWorker: Worker = {
  queue: ALERT_QUEUES.sweep,
  schedule: "*/5 * * * *",
  options: { retryLimit: 0, expireInSeconds: 600 },
  async handle() {
    const { opened, resolved } = await sweepAlerts();
    if (opened || resolved) console.log(`cairn: alert sweep opened ${opened} and resolved ${resolved} alert(s)`);
  },
};
