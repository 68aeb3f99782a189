import { and, eq } from "drizzle-orm";
import { afterCommit, type ServiceContext } from "../../context";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { enqueue, QUEUES } from "../../jobs/queue";
import { SIGNATURE_HEADER, signWebhookBody } from "./signing";

/**
 * How hard Cairn tries: the first attempt, then RETRY_LIMIT retries by the job queue with
 * exponential backoff (pg-boss waits between d·2ⁿ and 2·d·2ⁿ seconds before retry n+1, d =
 * RETRY_DELAY_SECONDS), about 1.5 to 3 hours in all. A short first delay gets a receiver that was
 * restarting at that moment its event within seconds.
 */
export const DELIVERY_POLICY = {
  timeoutMs: 10_000,
  retryLimit: 10,
  retryDelaySeconds: 5,
} as const;

/** Attempts per delivery, counted by Cairn (not by the queue), after which it is marked failed. */
export const MAX_ATTEMPTS = DELIVERY_POLICY.retryLimit + 1;

const USER_AGENT = "Cairn-Webhook/1";
const MAX_ERROR_LENGTH = 500;

export type AttemptOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "delivered" }
  | { outcome: "failed"; error: string }
  | { outcome: "retry"; error: string };

/** Writes a pending delivery and wakes the queue once the caller's transaction commits. */
export async function queueDelivery(
  ctx: ServiceContext,
  values: { webhookId: string; event: string; payload: Record<string, unknown> },
): Promise<string> {
  const [row] = await ctx.db.insert(webhookDeliveries).values(values).returning({ id: webhookDeliveries.id });
  afterCommit(ctx, () => enqueue(QUEUES.webhook, { id: row!.id }));
  return row!.id;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return `Timed out after ${DELIVERY_POLICY.timeoutMs / 1000} s`;
  const cause = e?.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return e?.message ?? String(error);
}

function describeStatus(response: Response): string {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    return `${status}: redirects are not followed${location ? ` (Location: ${location})` : ""}`;
  }
  return status;
}

/**
 * One attempt of one delivery, as the job queue runs it: sends the stored payload, signed now, to
 * the webhook's current URL, and records the attempt. Deliveries already settled are skipped; those
 * of a webhook switched off since are marked failed without a request. A non-2xx answer, a network
 * error or a timeout leaves the delivery pending for the queue's next retry (`retry`), until the
 * attempt budget is spent (`failed`). Response bodies are not kept: only status, error and duration.
 */
export async function attemptDelivery(ctx: ServiceContext, deliveryId: string): Promise<AttemptOutcome> {
  const [delivery] = await ctx.db
    .select({
      id: webhookDeliveries.id,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      url: webhooks.url,
      secret: webhooks.secret,
      active: webhooks.active,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!delivery) return { outcome: "skipped", reason: "the delivery or its webhook was deleted" };
  if (delivery.status !== "pending") return { outcome: "skipped", reason: `the delivery is already ${delivery.status}` };
  const stillPending = and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, "pending"));
  if (!delivery.active) {
    await ctx.db.update(webhookDeliveries).set({ status: "failed", lastError: "Not sent: the webhook is switched off" }).where(stillPending);
    return { outcome: "skipped", reason: "the webhook is switched off" };
  }

  const body = JSON.stringify(delivery.payload);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Cairn-Event": delivery.event,
        "X-Cairn-Delivery": delivery.id,
        [SIGNATURE_HEADER]: signWebhookBody(delivery.secret, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_POLICY.timeoutMs),
    });
    statusCode = response.status;
    if (!response.ok) error = describeStatus(response);
    await response.body?.cancel().catch(() => {});
  } catch (failure) {
    error = describeFailure(failure);
  }
  const durationMs = Math.round(performance.now() - started);

  const attempts = delivery.attempts + 1;
  const recorded = { attempts, lastStatusCode: statusCode, lastError: error?.slice(0, MAX_ERROR_LENGTH) ?? null, lastDurationMs: durationMs };
  if (error === null) {
    await ctx.db.update(webhookDeliveries).set({ ...recorded, status: "delivered", deliveredAt: new Date() }).where(stillPending);
    return { outcome: "delivered" };
  }
  if (attempts >= MAX_ATTEMPTS) {
    await ctx.db.update(webhookDeliveries).set({ ...recorded, status: "failed" }).where(stillPending);
    return { outcome: "failed", error };
  }
  // The earliest moment the queue may retry (its backoff adds up to as much again at random).
  const earliestRetry = new Date(Date.now() + DELIVERY_POLICY.retryDelaySeconds * 2 ** (attempts - 1) * 1000);
  await ctx.db.update(webhookDeliveries).set({ ...recorded, nextAttemptAt: earliestRetry }).where(stillPending);
  return { outcome: "retry", error };
}
