import { systemActor } from "../access/actor";
import { createServiceContext } from "../context";
import { env } from "../env.js";
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

/** Every worker this server runs. */
export const WORKERS: Worker[] = [purge, emailWorker, webhookWorker, outboxSweepWorker];
