import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActorUser } from "../../server/access/actor";
import { smtpCapture } from "../support/smtp-capture";

/**
 * E-mail end to end: a comment's mention goes through the outbox and the job queue (pg-boss on the
 * test database) to a real SMTP server listening on loopback.
 */

const smtp = smtpCapture();
const { received, refuseOnce, refuseAlways, refused } = smtp;

let stopJobs: (() => Promise<void>) | undefined;
let server: typeof import("../../server/db/client");
let schema: typeof import("../../server/db/schema");
let factories: typeof import("../support/factories");
let worker: typeof import("../../server/jobs/email-worker");
let createRun: typeof import("../../server/services/tracking/runs").createRun;

beforeAll(async () => {
  // Configuration first: the server reads it once, on first use.
  process.env.CAIRN_SMTP_URL = await smtp.listen();
  process.env.CAIRN_MAIL_FROM = "Cairn <cairn@example.test>";
  process.env.CAIRN_PUBLIC_URL = "https://cairn.example.test";
  server = await import("../../server/db/client");
  schema = await import("../../server/db/schema");
  factories = await import("../support/factories");
  worker = await import("../../server/jobs/email-worker");
  ({ createRun } = await import("../../server/services/tracking/runs"));
  const { startJobs } = await import("../../server/jobs/index");
  stopJobs = await startJobs(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await stopJobs?.();
  await smtp.close();
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const mailsTo = (email: string) => received.filter((m) => m.to.includes(email.toLowerCase()));

async function team() {
  const { owner, project, ctx } = await factories.projectContext("run.write");
  const author = await factories.makeUser({ name: "Ada Lovelace" });
  await factories.addMember(project.id, author, "contributor");
  const run = await createRun({ ctx, input: { experimentId: "0", runName: "bold-owl-12" } });
  const member = async (name: string) => {
    const user = await factories.makeUser({ name });
    await factories.addMember(project.id, user, "viewer");
    return user;
  };
  const comment = (body: string) =>
    factories.callerFor(factories.sessionOf(author)).comment.create({ projectSlug: project.slug, subject: { type: "run", id: run.info.runId }, body });
  return { owner, project, runId: run.info.runId, member, comment };
}

const mention = (user: ActorUser) => `@[${user.name}](user:${user.id})`;

async function outboxOf(email: string) {
  return server.getDb().select().from(schema.emailOutbox).where(eq(schema.emailOutbox.to, email));
}

describe("notification e-mail", () => {
  it("reaches the mentioned person through the job queue, with the subject and a link", async () => {
    const t = await team();
    const grace = await t.member("Grace Hopper");
    await t.comment(`${mention(grace)}, the loss spikes at step 40`);

    const mail = await until(() => mailsTo(grace.email)[0]);
    expect(mail.to).toEqual([grace.email]);
    expect(mail.from).toBe("cairn@example.test");
    expect(mail.subject).toBe(`[Cairn ${t.project.slug}] Ada Lovelace mentioned you on run bold-owl-12`);
    expect(mail.text).toContain("@Grace Hopper, the loss spikes at step 40");
    expect(mail.text).toContain(`https://cairn.example.test/p/${t.project.slug}/runs/${t.runId}`);
    const [row] = await until(async () => {
      const rows = await outboxOf(grace.email);
      return rows[0]?.sentAt ? rows : undefined;
    });
    expect(row).toMatchObject({ attempts: [], failedAt: null });
  }, 60_000);

  it("is retried after the SMTP server refuses it, and delivered once", async () => {
    const t = await team();
    const alan = await t.member("Alan Turing");
    refuseOnce.add(alan.email);
    await t.comment(`Please review, ${mention(alan)}`);

    const mail = await until(() => mailsTo(alan.email)[0]);
    expect(mail.subject).toContain("Ada Lovelace mentioned you");
    expect(refused.filter((to) => to === alan.email)).toHaveLength(1);
    const [row] = await until(async () => {
      const rows = await outboxOf(alan.email);
      return rows[0]?.sentAt ? rows : undefined;
    });
    expect(row!.attempts).toHaveLength(1);
    expect(row!.attempts[0]!.error).toContain("451");
    expect(row!.failedAt).toBeNull();
    // Nothing more arrives later.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(mailsTo(alan.email)).toHaveLength(1);
  }, 60_000);

  it("carries an invitation's link, at the public origin, to the invited address", async () => {
    const { owner, project } = await factories.projectContext("run.write");
    const invited = `${factories.unique("invitee")}@example.test`;
    const created = await factories.callerFor(factories.sessionOf(owner)).invitation.create({ projectSlug: project.slug, email: invited, role: "viewer" });
    expect(created.emailed).toBe(true);

    const mail = await until(() => mailsTo(invited)[0]);
    expect(mail.subject).toBe(`[Cairn ${project.slug}] You are invited to ${project.name}`);
    expect(mail.text).toContain(`https://cairn.example.test/invite/${created.secret}\n`);
    expect(mail.text).toContain("as viewer");
  }, 60_000);

  it("is not sent to people who turned e-mail off (their inbox still has it)", async () => {
    const t = await team();
    const quiet = await t.member("Quiet Person");
    const loud = await t.member("Loud Person");
    await factories.callerFor(factories.sessionOf(quiet)).notification.setPreferences({ emailNotifications: false });
    await t.comment(`${mention(quiet)} ${mention(loud)} heads up`);

    await until(() => mailsTo(loud.email)[0]);
    expect(mailsTo(quiet.email)).toHaveLength(0);
    expect(await outboxOf(quiet.email)).toHaveLength(0);
    const inbox = await factories.callerFor(factories.sessionOf(quiet)).notification.list({});
    expect(inbox.items.map((n) => n.kind)).toEqual(["mention"]);
  }, 60_000);

  it("is never sent twice, even when two workers pick the same row", async () => {
    const [row] = await server.getDb().insert(schema.emailOutbox).values({ to: "twice@example.test", subject: "Once", text: "only once\n" }).returning();
    const outcomes = await Promise.all([worker.sendOutboxEmail(row!.id), worker.sendOutboxEmail(row!.id)]);
    expect(outcomes.sort()).toEqual(["sent", "skipped"]);
    expect(await worker.sendOutboxEmail(row!.id)).toBe("skipped");
    expect(mailsTo("twice@example.test")).toHaveLength(1);
  });

  it("is marked failed after the last attempt", async () => {
    refuseAlways.add("nobody@example.test");
    const earlier = Array.from({ length: worker.EMAIL_ATTEMPTS - 1 }, (_, i) => ({
      at: new Date(Date.now() - 60_000 + i).toISOString(),
      error: "451 earlier",
    }));
    const [row] = await server
      .getDb()
      .insert(schema.emailOutbox)
      .values({ to: "nobody@example.test", subject: "Doomed", text: "x\n", attempts: earlier })
      .returning();
    await expect(worker.sendOutboxEmail(row!.id)).rejects.toThrow(/451/);
    const [after] = await server.getDb().select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, row!.id));
    expect(after!.attempts).toHaveLength(worker.EMAIL_ATTEMPTS);
    expect(after!.failedAt).toBeInstanceOf(Date);
    expect(after!.sentAt).toBeNull();
    expect(await worker.sendOutboxEmail(row!.id)).toBe("skipped");
  });
});
