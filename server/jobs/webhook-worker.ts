import { systemActor } from "../access/actor";
import { createServiceContext } from "../context";
import { attemptDelivery, DELIVERY_POLICY } from "../services/webhooks/delivery";
import { QUEUES } from "./queue";
import type { Worker } from "./worker";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Delivers webhook events. A failed attempt throws, so pg-boss retries the job with exponential
 * backoff; the delivery row counts attempts itself and is marked failed when they run out.
 */
export const webhookWorker: Worker = {
  queue: QUEUES.webhook,
  options: {
    retryLimit: DELIVERY_POLICY.retryLimit,
    retryDelay: DELIVERY_POLICY.retryDelaySeconds,
    retryBackoff: true,
    // An attempt takes at most the request timeout; a job active for longer lost its worker.
    expireInSeconds: 60,
  },
  async handle(job) {
    const id = (job.data as { id?: unknown }).id;
    if (typeof id !== "string" || !UUID.test(id)) {
      console.error(`cairn: webhook job ${job.id} has no delivery id; dropped`);
      return;
    }
    const result = await attemptDelivery(createServiceContext(systemActor("webhooks")), id);
    const cause = "cause" in result && result.cause ? ` (${result.cause})` : "";
    if (result.outcome === "retry") throw new Error(`Webhook delivery ${id} failed: ${result.error}${cause}`);
    if (result.outcome === "failed") console.warn(`cairn: webhook delivery ${id} gave up: ${result.error}${cause}`);
  },
};
