import { and, asc, eq, isNull, lt, sql, type AnyColumn } from "drizzle-orm";
import { systemActor } from "../access/actor";
import { createServiceContext, type ServiceContext } from "../context";
import { emailOutbox, webhookDeliveries } from "../db/schema";
import { queue, QUEUES } from "./queue";
import type { Worker } from "./worker";

/** pg-boss's schema: the default, as `startJobs` creates it. */
const BOSS_SCHEMA = "pgboss";
const BATCH = 500;

/** A job of `queueName` for the row `id` that is waiting, waiting to retry, or running. */
const liveJobFor = (queueName: string, id: AnyColumn) =>
  sql`exists (select 1 from ${sql.identifier(BOSS_SCHEMA)}.job j where j.name = ${queueName} and j.state < 'completed' and j.data->>'id' = ${id}::text)`;

/**
 * Finds outbox rows whose job was lost and queues them again: pending webhook deliveries overdue by
 * a minute and unsent, unfailed e-mails older than a minute, in both cases only when pg-boss holds
 * no live job for the row. Rows are written in the event's transaction and queued after it commits,
 * so a crash in between, or a process that does not run the queue (the CLI), leaves them here.
 * The singleton key (the row id, within a minute) keeps two overlapping sweeps from queueing a row
 * twice. Returns how many jobs were queued.
 */
export async function sweepOutbox(ctx: ServiceContext = createServiceContext(systemActor("outbox-sweep"))) {
  const boss = queue();
  if (!boss) return { webhooks: 0, emails: 0 };
  const deliveries = await ctx.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lt(webhookDeliveries.nextAttemptAt, sql`now() - interval '1 minute'`),
        sql`not ${liveJobFor(QUEUES.webhook, webhookDeliveries.id)}`,
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(BATCH);
  const emails = await ctx.db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      and(
        isNull(emailOutbox.sentAt),
        isNull(emailOutbox.failedAt),
        lt(emailOutbox.createdAt, sql`now() - interval '1 minute'`),
        sql`not ${liveJobFor(QUEUES.email, emailOutbox.id)}`,
      ),
    )
    .orderBy(asc(emailOutbox.createdAt))
    .limit(BATCH);

  const send = async (name: string, id: string) => Boolean(await boss.send(name, { id }, { singletonKey: id, singletonSeconds: 60 }));
  let queuedWebhooks = 0;
  let queuedEmails = 0;
  for (const { id } of deliveries) if (await send(QUEUES.webhook, id)) queuedWebhooks++;
  for (const { id } of emails) if (await send(QUEUES.email, id)) queuedEmails++;
  return { webhooks: queuedWebhooks, emails: queuedEmails };
}

/** Every minute, requeues outbox rows whose job was lost (see `sweepOutbox`). */
export const outboxSweepWorker: Worker = {
  queue: QUEUES.sweep,
  schedule: "* * * * *",
  options: { retryLimit: 0, expireInSeconds: 120 },
  async handle() {
    const { webhooks, emails } = await sweepOutbox();
    if (webhooks || emails) console.log(`cairn: requeued ${webhooks} webhook delivery(ies) and ${emails} e-mail(s) whose job was lost`);
  },
};
