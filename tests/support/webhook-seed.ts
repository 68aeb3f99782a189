import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { webhookDeliveries, type WebhookEvent } from "../../server/db/schema";
import { createWebhook } from "../../server/services/webhooks/webhooks";

/**
 * A webhook of the project (through the service, as a maintainer would create it) with, when asked,
 * one settled delivery in its log (inserted directly: test data, as if the queue had delivered it).
 */
export async function seedWebhook(
  ctx: ProjectContext,
  options: { url?: string; events?: WebhookEvent[]; active?: boolean; delivery?: "delivered" | "failed" } = {},
) {
  const { webhook, secret } = await createWebhook({
    ctx,
    input: { url: options.url ?? "https://ci.example.invalid/cairn", events: options.events ?? ["promotion.applied"], active: options.active ?? true },
  });
  let deliveryId: string | null = null;
  if (options.delivery) {
    const [row] = await getDb()
      .insert(webhookDeliveries)
      .values({
        webhookId: webhook.id,
        event: "promotion.applied",
        payload: { event: "promotion.applied", project: ctx.project.slug },
        status: options.delivery,
        attempts: 1,
        lastStatusCode: options.delivery === "delivered" ? 200 : 500,
        deliveredAt: options.delivery === "delivered" ? new Date() : null,
      })
      .returning({ id: webhookDeliveries.id });
    deliveryId = row!.id;
  }
  return { webhook, secret, deliveryId };
}
