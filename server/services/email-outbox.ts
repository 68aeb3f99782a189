import { afterCommit, type ServiceContext } from "../context";
import { emailOutbox } from "../db/schema";
import { enqueue, QUEUES } from "../jobs/queue";

export type OutgoingEmail = { to: string; subject: string; text: string };

/**
 * Puts e-mails in the outbox in the caller's transaction and wakes the job queue once it commits;
 * the e-mail worker sends them (and the outbox sweep catches any the queue missed).
 */
export async function queueEmails(ctx: ServiceContext, emails: OutgoingEmail[]): Promise<void> {
  if (!emails.length) return;
  const rows = await ctx.db.insert(emailOutbox).values(emails).returning({ id: emailOutbox.id });
  afterCommit(ctx, async () => {
    for (const { id } of rows) await enqueue(QUEUES.email, { id });
  });
}
