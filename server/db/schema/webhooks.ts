import { boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { timestamptz, users } from "./users";

export const WEBHOOK_EVENTS = [
  "model_version.registered",
  "promotion.requested",
  "promotion.approved",
  "promotion.rejected",
  "promotion.applied",
  "promotion.rolled_back",
  "alert.opened",
  "alert.resolved",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_FORMATS = ["cairn", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A project's HTTP endpoint for CI/CD, told about the events it subscribes to. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    url: text().notNull(),
    /** HMAC-SHA256 key for the X-Cairn-Signature header; shown to maintainers, who configure the receiver. */
    secret: text().notNull(),
    events: text({ enum: WEBHOOK_EVENTS }).array().notNull(),
    /** "cairn": the signed JSON event; "slack": a Slack-compatible `{ text }` message for incoming webhooks. */
    format: text({ enum: WEBHOOK_FORMATS }).notNull().default("cairn"),
    active: boolean().notNull().default(true),
    description: text().notNull().default(""),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index().on(t.projectId)],
);

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;

/** One event for one webhook: written with the event, attempted by the job queue with backoff. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastError: text(),
    lastDurationMs: integer(),
    createdAt: timestamptz().notNull().defaultNow(),
    nextAttemptAt: timestamptz().notNull().defaultNow(),
    deliveredAt: timestamptz(),
  },
  (t) => [index().on(t.webhookId, t.createdAt), index().on(t.status, t.nextAttemptAt)],
);
