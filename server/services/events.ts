import { and, eq, inArray, isNull } from "drizzle-orm";
import { actorDisplayName } from "../access/actor";
import { afterCommit, type ProjectContext, type ServiceContext } from "../context";
import {
  notifications,
  projectMembers,
  users,
  watches,
  webhookDeliveries,
  webhooks,
  type modelVersions,
  type registeredModels,
  type TargetKind,
  type WebhookEvent,
} from "../db/schema";
import { env } from "../env.js";
import { enqueue, QUEUES } from "../jobs/queue";
import { queueEmails } from "./email-outbox";
import { absoluteUrl } from "./links";

export type Subject = { type: "project" | "registered_model"; id: string };

export type DomainEvent = {
  project: { id: string; slug: string };
  /** Notification kind, e.g. "promotion.requested", "mention". */
  kind: string;
  title: string;
  body?: string;
  /** Where the notification leads, a path inside Cairn. */
  path: string;
  /** People addressed directly (reviewers, the requester, the mentioned). */
  to?: string[];
  /** Whose watchers hear about it too. */
  watched?: Subject[];
  webhook?: { event: WebhookEvent; payload: Record<string, unknown> };
};

/**
 * Records an event's consequences in the caller's transaction: inbox notifications for the people
 * concerned who are still members of the project (so nothing reaches someone who may not see it),
 * e-mails for those who want them when SMTP is configured, and deliveries for the project's webhooks.
 * The job queue is woken after the commit.
 */
export async function publish(ctx: ServiceContext, event: DomainEvent): Promise<void> {
  const actorId = ctx.actor.kind === "user" ? ctx.actor.user.id : null;
  const watcherIds = event.watched?.length
    ? (
        await ctx.db
          .select({ userId: watches.userId })
          .from(watches)
          .where(
            and(
              eq(watches.projectId, event.project.id),
              inArray(
                watches.subjectId,
                event.watched.map((w) => w.id),
              ),
            ),
          )
      ).map((w) => w.userId)
    : [];
  const candidates = [...new Set([...(event.to ?? []), ...watcherIds])].filter((id) => id !== actorId);
  const recipients = candidates.length
    ? await ctx.db
        .select({ id: users.id, email: users.email, wantsEmail: users.emailNotifications })
        .from(users)
        .innerJoin(projectMembers, and(eq(projectMembers.userId, users.id), eq(projectMembers.projectId, event.project.id)))
        .where(and(inArray(users.id, candidates), isNull(users.disabledAt)))
    : [];

  const url = absoluteUrl(ctx, event.path);
  const mailing = Boolean(env().CAIRN_SMTP_URL);
  if (recipients.length) {
    await ctx.db.insert(notifications).values(
      recipients.map((r) => ({
        userId: r.id,
        projectId: event.project.id,
        kind: event.kind,
        title: event.title,
        body: event.body ?? "",
        url: event.path,
        actorLabel: actorDisplayName(ctx.actor),
        emailQueued: mailing && r.wantsEmail,
      })),
    );
    const mailed = recipients.filter((r) => mailing && r.wantsEmail);
    await queueEmails(
      ctx,
      mailed.map((r) => ({ to: r.email, subject: `[Cairn ${event.project.slug}] ${event.title}`, text: `${event.body ? `${event.body}\n\n` : ""}${url}\n` })),
    );
  }

  const deliveries: string[] = [];
  if (event.webhook) {
    const hooks = await ctx.db
      .select({ id: webhooks.id, events: webhooks.events })
      .from(webhooks)
      .where(and(eq(webhooks.projectId, event.project.id), eq(webhooks.active, true)));
    const subscribed = hooks.filter((h) => h.events.includes(event.webhook!.event));
    if (subscribed.length) {
      const payload = { event: event.webhook.event, project: event.project.slug, occurredAt: new Date().toISOString(), url, ...event.webhook.payload };
      const rows = await ctx.db
        .insert(webhookDeliveries)
        .values(subscribed.map((h) => ({ webhookId: h.id, event: event.webhook!.event, payload })))
        .returning({ id: webhookDeliveries.id });
      deliveries.push(...rows.map((r) => r.id));
    }
  }

  if (deliveries.length) {
    afterCommit(ctx, async () => {
      for (const id of deliveries) await enqueue(QUEUES.webhook, { id });
    });
  }
}

/**
 * What tracking and the registry announce, inside the transaction of the change, to the layers
 * above them, which subscribe at start-up (server/services/wiring.ts). A subscriber may refuse
 * the change by throwing; the change then does not happen.
 */
export type DomainSignals = {
  /** A run's metrics, tags or status, a version's tags or card, or a model's card, changed: evidence others judged may be stale. */
  "evidence.changed": { runUuid: string } | { versionId: string } | { modelId: string };
  /** A version is about to take a stage, alias or tag (with the tag's value). */
  "target.changing": {
    model: typeof registeredModels.$inferSelect;
    version: typeof modelVersions.$inferSelect;
    target: { kind: TargetKind; name: string };
    tagValue?: string;
  };
  /** A stage, alias or tag is about to be taken away from the version that holds it. */
  "target.releasing": { model: typeof registeredModels.$inferSelect; target: { kind: TargetKind; name: string } };
};

type Subscriber<K extends keyof DomainSignals> = (ctx: ProjectContext, payload: DomainSignals[K]) => Promise<void>;

const subscribers: { [K in keyof DomainSignals]: Subscriber<K>[] } = { "evidence.changed": [], "target.changing": [], "target.releasing": [] };
let wired = false;

/** Adds a subscriber; the composition root calls this at start-up, then `sealSubscriptions`. */
export function subscribe<K extends keyof DomainSignals>(name: K, subscriber: Subscriber<K>): void {
  subscribers[name].push(subscriber);
}

/** Marks the subscriptions complete: from now on signals may be sent. */
export function sealSubscriptions(): void {
  wired = true;
}

/**
 * Tells every subscriber, in order, in the caller's context (its transaction). Refuses to run
 * before start-up has subscribed everyone: a guard that was never registered must not pass silently.
 */
export async function signal<K extends keyof DomainSignals>(ctx: ProjectContext, name: K, payload: DomainSignals[K]): Promise<void> {
  if (!wired) throw new Error(`Domain signal '${name}' sent before start-up wired its subscribers (server/services/wiring.ts)`);
  for (const subscriber of subscribers[name]) await subscriber(ctx, payload);
}
