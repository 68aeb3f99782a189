import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { randomSecret } from "../../crypto";
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS, webhookDeliveries, webhooks, type WebhookEvent, type WebhookFormat } from "../../db/schema";

/** The events a webhook can subscribe to, for the settings page. */
export { WEBHOOK_EVENTS };
import { conflict, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { uuidField } from "../fields";
import { absoluteUrl } from "../links";
import { queueDelivery } from "./delivery";
import { allowedNetworks, urlRefusal } from "./target-policy";

/** The event of a "send test" delivery; receivers should answer 2xx and otherwise ignore it. */
const PING_EVENT = "ping";

const SECRET_PREFIX = "whsec_";

const urlField = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the events")
  .max(2000, "URL must be at most 2000 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" }))
  .refine((url) => {
    // Zod runs this even when the URL check above failed; that failure has been reported already.
    const parsed = URL.canParse(url) ? new URL(url) : null;
    return !parsed?.username && !parsed?.password;
  }, "Remove the user name and password from the URL: receivers check the signature instead")
  .superRefine((url, issue) => {
    const refusal = URL.canParse(url) ? urlRefusal(new URL(url), allowedNetworks()) : null;
    if (refusal) issue.addIssue({ code: "custom", message: refusal });
  });

const eventsField = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `Events must be among ${WEBHOOK_EVENTS.join(", ")}` }))
  .min(1, "Choose at least one event")
  .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e)));

const webhookDescriptionField = z.string().trim().max(500, "Description must be at most 500 characters");

// "slack": a Slack-compatible `{ text }` message, for Slack's (or a compatible chat's) incoming webhooks.
const formatField = z.enum(WEBHOOK_FORMATS, { error: `Format must be one of ${WEBHOOK_FORMATS.join(", ")}` });

export const createWebhookInput = z.object({
  url: urlField,
  events: eventsField,
  description: webhookDescriptionField.default(""),
  format: formatField.default("cairn"),
  active: z.boolean().default(true),
});

export const updateWebhookInput = z.object({
  webhookId: uuidField,
  url: urlField.optional(),
  events: eventsField.optional(),
  description: webhookDescriptionField.optional(),
  format: formatField.optional(),
  active: z.boolean().optional(),
});

export const webhookIdInput = z.object({ webhookId: uuidField });

export const deliveriesInput = z.object({
  webhookId: uuidField,
  cursor: uuidField.nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});

export const redeliverInput = z.object({ deliveryId: uuidField });

/** What maintainers see of a webhook; the secret is shown only when it is created or rotated. */
const webhookColumns = {
  id: webhooks.id,
  url: webhooks.url,
  events: webhooks.events,
  format: webhooks.format,
  active: webhooks.active,
  description: webhooks.description,
  createdAt: webhooks.createdAt,
};

const deliveryColumns = {
  id: webhookDeliveries.id,
  event: webhookDeliveries.event,
  payload: webhookDeliveries.payload,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  lastDurationMs: webhookDeliveries.lastDurationMs,
  createdAt: webhookDeliveries.createdAt,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  deliveredAt: webhookDeliveries.deliveredAt,
};

type WebhookRow = { url: string; events: WebhookEvent[]; format: WebhookFormat; active: boolean; description: string };
const audited = (w: WebhookRow) => ({ url: w.url, events: w.events, format: w.format, active: w.active, description: w.description });
const newSecret = () => SECRET_PREFIX + randomSecret(32);
const thisProjects = (ctx: ProjectContext, webhookId: string) => and(eq(webhooks.id, webhookId), eq(webhooks.projectId, ctx.project.id));

/** The project's webhooks, oldest first, each with the status of its latest delivery. */
export async function listWebhooks({ ctx }: { ctx: ProjectContext }) {
  const hooks = await ctx.db.select(webhookColumns).from(webhooks).where(eq(webhooks.projectId, ctx.project.id)).orderBy(asc(webhooks.createdAt));
  const latest = await ctx.db
    .selectDistinctOn([webhookDeliveries.webhookId], {
      webhookId: webhookDeliveries.webhookId,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhooks.projectId, ctx.project.id))
    .orderBy(webhookDeliveries.webhookId, desc(webhookDeliveries.createdAt));
  const byWebhook = new Map(latest.map(({ webhookId, ...delivery }) => [webhookId, delivery]));
  return hooks.map((hook) => ({ ...hook, lastDelivery: byWebhook.get(hook.id) ?? null }));
}

/**
 * Adds a webhook. Its signing secret is generated here and returned once, for the maintainer to
 * configure the receiver with; afterwards only rotating it shows a new one.
 */
export async function createWebhook({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createWebhookInput> }) {
  const data = parseInput(createWebhookInput, input);
  const secret = newSecret();
  return inTransaction(ctx, async (tx) => {
    const [webhook] = await tx.db
      .insert(webhooks)
      .values({ ...data, projectId: ctx.project.id, secret, createdBy: ctx.actor.kind === "user" ? ctx.actor.user.id : null })
      .returning(webhookColumns);
    await recordAudit(tx, { project: ctx.project, action: "webhook.create", target: { type: "webhook", id: webhook!.id }, after: audited(webhook!) });
    return { webhook: { ...webhook!, lastDelivery: null }, secret };
  });
}

/** Changes a webhook's URL, events, description, format or whether it is on; pending deliveries follow. */
export async function updateWebhook({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateWebhookInput> }) {
  const { webhookId, ...changes } = parseInput(updateWebhookInput, input);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select(webhookColumns).from(webhooks).where(thisProjects(ctx, webhookId)).for("update");
    if (!before) throw notFound("Webhook not found");
    const set: Partial<typeof webhooks.$inferInsert> = {};
    if (changes.url !== undefined) set.url = changes.url;
    if (changes.events !== undefined) set.events = changes.events;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.format !== undefined) set.format = changes.format;
    if (changes.active !== undefined) set.active = changes.active;
    if (Object.keys(set).length === 0) return before;
    const [after] = await tx.db.update(webhooks).set(set).where(thisProjects(ctx, webhookId)).returning(webhookColumns);
    await recordAudit(tx, {
      project: ctx.project,
      action: "webhook.update",
      target: { type: "webhook", id: webhookId },
      before: audited(before),
      after: audited(after!),
    });
    return after!;
  });
}

/** Replaces the signing secret and returns the new one, once. Requests signed from now on use it. */
export async function rotateWebhookSecret({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof webhookIdInput> }) {
  const { webhookId } = parseInput(webhookIdInput, input);
  const secret = newSecret();
  return inTransaction(ctx, async (tx) => {
    const [webhook] = await tx.db.update(webhooks).set({ secret }).where(thisProjects(ctx, webhookId)).returning({ id: webhooks.id, url: webhooks.url });
    if (!webhook) throw notFound("Webhook not found");
    await recordAudit(tx, { project: ctx.project, action: "webhook.rotate_secret", target: { type: "webhook", id: webhook.id }, after: { url: webhook.url } });
    return { secret };
  });
}

/** Removes a webhook with its delivery log; deliveries still queued are dropped. */
export async function deleteWebhook({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof webhookIdInput> }) {
  const { webhookId } = parseInput(webhookIdInput, input);
  await inTransaction(ctx, async (tx) => {
    const [webhook] = await tx.db.delete(webhooks).where(thisProjects(ctx, webhookId)).returning(webhookColumns);
    if (!webhook) throw notFound("Webhook not found");
    await recordAudit(tx, { project: ctx.project, action: "webhook.delete", target: { type: "webhook", id: webhook.id }, before: audited(webhook) });
  });
}

/** A webhook's delivery log, newest first, a page at a time (`cursor`: the last delivery seen). */
export async function listDeliveries({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof deliveriesInput> }) {
  const { webhookId, cursor, limit } = parseInput(deliveriesInput, input);
  const [webhook] = await ctx.db.select({ id: webhooks.id }).from(webhooks).where(thisProjects(ctx, webhookId));
  if (!webhook) throw notFound("Webhook not found");
  const rows = await ctx.db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        thisProjects(ctx, webhookId),
        cursor
          ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (select c.created_at, c.id from ${webhookDeliveries} c where c.id = ${cursor})`
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const deliveries = more ? rows.slice(0, limit) : rows;
  return { deliveries, nextCursor: more ? deliveries.at(-1)!.id : null };
}

/**
 * Sends a settled delivery again, as a new delivery of the same event and payload (so the log keeps
 * both, and receivers that deduplicate by `X-Cairn-Delivery` accept it). One still being retried is
 * refused: it would arrive twice.
 */
export async function redeliver({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof redeliverInput> }) {
  const { deliveryId } = parseInput(redeliverInput, input);
  return inTransaction(ctx, async (tx) => {
    const [original] = await tx.db
      .select({
        webhookId: webhooks.id,
        active: webhooks.active,
        event: webhookDeliveries.event,
        payload: webhookDeliveries.payload,
        status: webhookDeliveries.status,
      })
      .from(webhookDeliveries)
      .innerJoin(webhooks, and(eq(webhooks.id, webhookDeliveries.webhookId), eq(webhooks.projectId, ctx.project.id)))
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!original) throw notFound("Delivery not found");
    if (!original.active) throw conflict("This webhook is switched off: switch it on to redeliver");
    if (original.status === "pending") throw conflict("This delivery is still being retried");
    const id = await queueDelivery(tx, { webhookId: original.webhookId, event: original.event, payload: original.payload });
    return { deliveryId: id };
  });
}

/** Queues a `ping` delivery through the same queue, signing and retries as real events. */
export async function sendTestDelivery({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof webhookIdInput> }) {
  const { webhookId } = parseInput(webhookIdInput, input);
  return inTransaction(ctx, async (tx) => {
    const [webhook] = await tx.db
      .select({ id: webhooks.id, events: webhooks.events, active: webhooks.active })
      .from(webhooks)
      .where(thisProjects(ctx, webhookId));
    if (!webhook) throw notFound("Webhook not found");
    if (!webhook.active) throw conflict("This webhook is switched off: switch it on to send a test");
    const payload = {
      event: PING_EVENT,
      project: ctx.project.slug,
      occurredAt: new Date().toISOString(),
      url: absoluteUrl(ctx, `/p/${ctx.project.slug}/settings/webhooks`),
      webhook: { id: webhook.id, events: webhook.events },
      message: "A test delivery from Cairn. Answer with any 2xx status.",
    };
    return { deliveryId: await queueDelivery(tx, { webhookId: webhook.id, event: PING_EVENT, payload }) };
  });
}
