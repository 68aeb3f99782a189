import { and, eq } from "drizzle-orm";
import { afterCommit, type ServiceContext } from "../../context";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { enqueue, QUEUES } from "../../jobs/queue";
import { guardedPost, TargetRefused, type ReceiverAnswer } from "./guarded-post";
import { SIGNATURE_HEADER, signWebhookBody } from "./signing";
import { slackMessage } from "./slack";
import { allowedNetworks } from "./target-policy";

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
  | { outcome: "failed"; error: string; cause?: string }
  | { outcome: "retry"; error: string; cause?: string };

/** Writes a pending delivery and wakes the queue once the caller's transaction commits. */
export async function queueDelivery(ctx: ServiceContext, values: { webhookId: string; event: string; payload: Record<string, unknown> }): Promise<string> {
  const [row] = await ctx.db.insert(webhookDeliveries).values(values).returning({ id: webhookDeliveries.id });
  afterCommit(ctx, () => enqueue(QUEUES.webhook, { id: row!.id }));
  return row!.id;
}

/**
 * Why no HTTP answer came, as the delivery log shows it. Refused connections, resets, timeouts, TLS
 * and DNS failures and non-HTTP replies all read the same (and record no duration), so the log
 * cannot map which hosts and ports answer; the cause goes to the server log only.
 */
export const NO_ANSWER = "Could not deliver: no HTTP response from the receiver";

function describeFailure(error: unknown): string {
  return error instanceof TargetRefused ? error.message : NO_ANSWER;
}

function describeCause(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  return [e?.code ?? e?.cause?.code ?? e?.name, e?.cause?.message ?? e?.message].filter(Boolean).join(": ") || String(error);
}

function describeStatus(answer: ReceiverAnswer): string {
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
  if (answer.status >= 300 && answer.status < 400) {
    return `${status}: redirects are not followed${answer.location ? ` (Location: ${answer.location})` : ""}`;
  }
  return status;
}

/**
 * One attempt of one delivery, as the job queue runs it: sends the stored payload (or, to a webhook
 * in Slack format, the one-line message made from it), signed now, to
 * the webhook's current URL, and records the attempt. Deliveries already settled are skipped; those
 * of a webhook switched off since are marked failed without a request. The target is checked
 * against the policy again, after resolving its name (`guardedPost`). A non-2xx answer, a refused
 * target, a network error or a timeout leaves the delivery pending for the queue's next retry
 * (`retry`), until the attempt budget is spent (`failed`). Response bodies are not kept: only
 * status, error and duration; `cause` says what really failed, for the server log only.
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
      format: webhooks.format,
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

  const body = JSON.stringify(delivery.format === "slack" ? slackMessage(delivery.event, delivery.payload) : delivery.payload);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let cause: string | undefined;
  try {
    const answer = await guardedPost(delivery.url, {
      headers: {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Cairn-Event": delivery.event,
        "X-Cairn-Delivery": delivery.id,
        [SIGNATURE_HEADER]: signWebhookBody(delivery.secret, body),
      },
      body,
      timeoutMs: DELIVERY_POLICY.timeoutMs,
      allowed: allowedNetworks(),
    });
    statusCode = answer.status;
    if (statusCode < 200 || statusCode >= 300) error = describeStatus(answer);
  } catch (failure) {
    error = describeFailure(failure);
    cause = describeCause(failure);
  }
  const durationMs = statusCode === null ? null : Math.round(performance.now() - started);

  const attempts = delivery.attempts + 1;
  const recorded = { attempts, lastStatusCode: statusCode, lastError: error?.slice(0, MAX_ERROR_LENGTH) ?? null, lastDurationMs: durationMs };
  if (error === null) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ ...recorded, status: "delivered", deliveredAt: new Date() })
      .where(stillPending);
    return { outcome: "delivered" };
  }
  if (attempts >= MAX_ATTEMPTS) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ ...recorded, status: "failed" })
      .where(stillPending);
    return { outcome: "failed", error, cause };
  }
  // The earliest moment the queue may retry (its backoff adds up to as much again at random).
  const earliestRetry = new Date(Date.now() + DELIVERY_POLICY.retryDelaySeconds * 2 ** (attempts - 1) * 1000);
  await ctx.db
    .update(webhookDeliveries)
    .set({ ...recorded, nextAttemptAt: earliestRetry })
    .where(stillPending);
  return { outcome: "retry", error, cause };
}
