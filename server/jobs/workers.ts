import { systemActor } from "../access/actor";
import { createServiceContext } from "../context";
import { env } from "../env.js";
import { alertEvaluationWorker, alertSweepWorker } from "./alert-workers";
import { deleteExpiredRecords } from "../services/monitoring/retention";
import { purgeDeletedRuns } from "../services/tracking/purge";
import { emailWorker } from "./email-worker";
import { outboxSweepWorker } from "./outbox-sweep";
import { QUEUES } from "./queue";
import { webhookWorker } from "./webhook-worker";
import type { Worker } from "./worker";

const purge: Worker = {
  queue: QUEUES.purge,
  schedule: "17 * * * *",
  async handle() {
    const days = env().CAIRN_RUN_RETENTION_DAYS;
    const before = new Date(Date.now() - days * 86_400_000);
    const { runs } = await purgeDeletedRuns(createServiceContext(systemActor("retention")), before);
    if (runs) console.log(`cairn: purged ${runs} run(s) deleted before ${before.toISOString()}`);
  },
};

/** Hourly, deletes raw inference records past their model's retention (the aggregates stay). */
const monitoringRetention: Worker = {
  queue: QUEUES.retention,
  schedule: "41 * * * *",
  async handle() {
    const { records } = await deleteExpiredRecords(createServiceContext(systemActor("retention")));
    if (records) console.log(`cairn: deleted ${records} inference record(s) past their model's retention`);
  },
};

/** Every worker this server runs. */
export const WORKERS: Worker[] = [purge, monitoringRetention, emailWorker, webhookWorker, outboxSweepWorker, alertEvaluationWorker, alertSweepWorker];
