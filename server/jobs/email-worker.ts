import { and, eq, isNull, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { getDb } from "../db/client";
import { emailOutbox } from "../db/schema";
import { env } from "../env.js";
import { QUEUES } from "./queue";
import type { Worker } from "./worker";

/** Attempts per e-mail: the first, then retries 5–10 s, 10–20 s, … apart (about an hour in all). */
export const EMAIL_ATTEMPTS = 10;

let transport: { url: string; transporter: Transporter } | undefined;

function transporter(url: string): Transporter {
  if (transport?.url !== url) {
    // Bounded waits: a silent server fails the attempt (and it is retried) instead of hanging the job.
    transport = { url, transporter: nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }) };
  }
  return transport.transporter;
}

/**
 * Sends one outbox e-mail. The row is claimed by a single UPDATE that sets `sent_at` only while it
 * is still unsent (so two jobs for one e-mail, or a job retried after a crash, never send it twice)
 * and no transaction stays open during the SMTP conversation (an embedded database serves one
 * session at a time). A failed attempt releases the claim and is recorded on the row; after the
 * last one the e-mail is marked failed. Throwing hands the job back to pg-boss for its next retry.
 */
export async function sendOutboxEmail(id: string): Promise<"sent" | "skipped"> {
  const config = env();
  if (!config.CAIRN_SMTP_URL) throw new Error("CAIRN_SMTP_URL is not set; the e-mail waits for it");
  const smtpUrl = config.CAIRN_SMTP_URL;
  const db = getDb();
  const [email] = await db
    .update(emailOutbox)
    .set({ sentAt: sql`now()` })
    .where(and(eq(emailOutbox.id, id), isNull(emailOutbox.sentAt), isNull(emailOutbox.failedAt)))
    .returning();
  if (!email) return "skipped";
  try {
    await transporter(smtpUrl).sendMail({ from: config.CAIRN_MAIL_FROM, to: email.to, subject: email.subject, text: email.text });
    return "sent";
  } catch (error) {
    const attempt = { at: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
    const last = email.attempts.length + 1 >= EMAIL_ATTEMPTS;
    await db
      .update(emailOutbox)
      .set({
        sentAt: null,
        attempts: sql`${emailOutbox.attempts} || ${JSON.stringify([attempt])}::jsonb`,
        failedAt: last ? sql`now()` : null,
      })
      .where(eq(emailOutbox.id, id));
    throw error;
  }
}

/** Delivers notification e-mails, retried with exponential backoff while the SMTP server refuses. */
export const emailWorker: Worker = {
  queue: QUEUES.email,
  options: { retryLimit: EMAIL_ATTEMPTS - 1, retryDelay: 5, retryBackoff: true },
  async handle(job) {
    const { id } = job.data as { id?: unknown };
    if (typeof id !== "string") return;
    await sendOutboxEmail(id);
  },
};
