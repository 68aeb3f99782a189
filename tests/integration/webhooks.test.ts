import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, type ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, webhookDeliveries, webhooks } from "../../server/db/schema";
import { startJobs } from "../../server/jobs";
import { sweepOutbox } from "../../server/jobs/outbox-sweep";
import { enqueue, QUEUES } from "../../server/jobs/queue";
import { publish } from "../../server/services/events";
import { attemptDelivery, MAX_ATTEMPTS, NO_ANSWER } from "../../server/services/webhooks/delivery";
import { verifyWebhookSignature } from "../../server/services/webhooks/signing";
import { addMember, callerFor, makeProject, makeUser, outcome, projectContext, sessionOf, system, unique } from "../support/factories";
import { seedWebhook } from "../support/webhook-seed";

// The receivers below listen on loopback, which the operator opens to webhooks as for an
// on-premises CI. Read lazily by the server on first use, after this line.
process.env.CAIRN_WEBHOOK_ALLOWED_NETWORKS = "127.0.0.0/8,::1/128";

const deliveriesOf = (webhookId: string) => getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));

describe("webhooks: management", () => {
  it("creates, lists without the secret, updates, rotates and deletes, auditing each change", async () => {
    const { project } = await projectContext("webhook.manage");
    const maintainer = await makeUser();
    await addMember(project.id, maintainer, "maintainer");
    const api = callerFor(sessionOf(maintainer));
    const projectSlug = project.slug;

    const created = await api.webhook.create({
      projectSlug,
      url: "https://ci.example.invalid/cairn?job=deploy",
      events: ["promotion.applied", "model_version.registered", "promotion.applied"],
      description: "Deploy on promotion",
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    // Events are deduplicated and kept in their canonical order.
    expect(created.webhook).toMatchObject({ events: ["model_version.registered", "promotion.applied"], active: true, description: "Deploy on promotion" });
    const [stored] = await getDb().select().from(webhooks).where(eq(webhooks.id, created.webhook.id));
    expect(stored!.secret).toBe(created.secret);

    const listed = await api.webhook.list({ projectSlug });
    expect(listed).toEqual([expect.objectContaining({ id: created.webhook.id, lastDelivery: null })]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const updated = await api.webhook.update({ projectSlug, webhookId: created.webhook.id, active: false, events: ["promotion.rolled_back"] });
    expect(updated).toMatchObject({ active: false, events: ["promotion.rolled_back"], url: "https://ci.example.invalid/cairn?job=deploy" });

    const rotated = await api.webhook.rotateSecret({ projectSlug, webhookId: created.webhook.id });
    expect(rotated.secret).not.toBe(created.secret);
    const [afterRotation] = await getDb().select({ secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, created.webhook.id));
    expect(afterRotation!.secret).toBe(rotated.secret);

    await api.webhook.delete({ projectSlug, webhookId: created.webhook.id });
    expect(await api.webhook.list({ projectSlug })).toEqual([]);
    expect(await outcome(() => api.webhook.delete({ projectSlug, webhookId: created.webhook.id }))).toBe("NOT_FOUND");

    const trail = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, project.id), eq(auditEvents.targetId, created.webhook.id)));
    expect(trail.map((e) => e.action).sort()).toEqual(["webhook.create", "webhook.delete", "webhook.rotate_secret", "webhook.update"]);
    expect(JSON.stringify(trail)).not.toContain(created.secret);
    expect(JSON.stringify(trail)).not.toContain(rotated.secret);
    expect(trail.find((e) => e.action === "webhook.update")).toMatchObject({
      before: { active: true, events: ["model_version.registered", "promotion.applied"] },
      after: { active: false, events: ["promotion.rolled_back"] },
    });
  });

  it("refuses bad URLs and event lists with field messages", async () => {
    const { owner, project } = await projectContext("webhook.manage");
    const api = callerFor(sessionOf(owner));
    const attempt = (input: { url: string; events: string[] }) =>
      api.webhook.create({ projectSlug: project.slug, ...input } as Parameters<typeof api.webhook.create>[0]);
    // The router validates input with the service's schema; the HTTP error shape lists these per field.
    const refused = (message: string) => ({ code: "BAD_REQUEST", message: expect.stringContaining(message) });
    await expect(attempt({ url: "ftp://ci.example.invalid/x", events: ["promotion.applied"] })).rejects.toMatchObject(
      refused("Enter an http:// or https:// URL"),
    );
    await expect(attempt({ url: "not a url", events: ["promotion.applied"] })).rejects.toMatchObject(refused("Enter an http:// or https:// URL"));
    await expect(attempt({ url: "https://user:pw@ci.example.invalid/x", events: ["promotion.applied"] })).rejects.toMatchObject(
      refused("user name and password"),
    );
    await expect(attempt({ url: "https://ci.example.invalid/x", events: [] })).rejects.toMatchObject(refused("Choose at least one event"));
    await expect(attempt({ url: "https://ci.example.invalid/x", events: ["run.created"] })).rejects.toMatchObject(refused("Events must be among"));
    expect(await api.webhook.list({ projectSlug: project.slug })).toEqual([]);
  });

  it("accepts the networks the operator allows, in any notation, and still refuses the others", async () => {
    const { owner, project } = await projectContext("webhook.manage");
    const api = callerFor(sessionOf(owner));
    const create = (url: string) => api.webhook.create({ projectSlug: project.slug, url, events: ["promotion.applied"] });
    for (const url of ["http://127.0.0.1:5432/", "http://2130706433/", "http://0x7f.1/", "http://[::1]:8080/", "http://localhost:9000/"]) {
      expect((await create(url)).webhook.url, url).toBe(url);
    }
    for (const url of ["http://10.0.0.1/", "http://[fd00::1]/", "http://169.254.169.254/", "http://metadata.google.internal/"]) {
      await expect(create(url), url).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Webhooks cannot be sent to") });
    }
    expect(await api.webhook.list({ projectSlug: project.slug })).toHaveLength(5);
  });

  it("refuses contributors and viewers, and hides other projects' webhooks and deliveries", async () => {
    const { project, ctx } = await projectContext("webhook.manage");
    const { webhook, deliveryId } = await seedWebhook(ctx, { delivery: "delivered" });
    const contributor = await makeUser();
    await addMember(project.id, contributor, "contributor");
    const viewer = await makeUser();
    await addMember(project.id, viewer, "viewer");
    for (const person of [contributor, viewer]) {
      const api = callerFor(sessionOf(person));
      expect(await outcome(() => api.webhook.list({ projectSlug: project.slug }))).toBe("FORBIDDEN");
      expect(await outcome(() => api.webhook.deliveries({ projectSlug: project.slug, webhookId: webhook.id }))).toBe("FORBIDDEN");
      expect(await outcome(() => api.webhook.create({ projectSlug: project.slug, url: "https://ci.example.invalid/x", events: ["promotion.applied"] }))).toBe(
        "FORBIDDEN",
      );
    }

    // The owner of another project names this project's webhook through their own project.
    const stranger = await makeUser();
    const theirs = await makeProject(stranger);
    const api = callerFor(sessionOf(stranger));
    const projectSlug = theirs.slug;
    expect(await outcome(() => api.webhook.update({ projectSlug, webhookId: webhook.id, active: false }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.webhook.rotateSecret({ projectSlug, webhookId: webhook.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.webhook.delete({ projectSlug, webhookId: webhook.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.webhook.deliveries({ projectSlug, webhookId: webhook.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.webhook.sendTest({ projectSlug, webhookId: webhook.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => api.webhook.redeliver({ projectSlug, deliveryId: deliveryId! }))).toBe("NOT_FOUND");
    const [untouched] = await getDb().select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(untouched).toMatchObject({ active: true });
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
  });

  it("pages the delivery log newest first, with payload, status and attempt details", async () => {
    const { owner, project, ctx } = await projectContext("webhook.manage");
    const { webhook } = await seedWebhook(ctx);
    const base = Date.now() - 60_000;
    await getDb()
      .insert(webhookDeliveries)
      .values(
        Array.from({ length: 5 }, (_, i) => ({
          webhookId: webhook.id,
          event: "promotion.applied",
          payload: { n: i },
          status: i === 4 ? ("failed" as const) : ("delivered" as const),
          attempts: i === 4 ? MAX_ATTEMPTS : 1,
          lastStatusCode: i === 4 ? 500 : 204,
          lastError: i === 4 ? "HTTP 500 Internal Server Error" : null,
          lastDurationMs: 12,
          createdAt: new Date(base + i * 1000),
        })),
      );
    const api = callerFor(sessionOf(owner));
    const first = await api.webhook.deliveries({ projectSlug: project.slug, webhookId: webhook.id, limit: 2 });
    expect(first.deliveries.map((d) => d.payload)).toEqual([{ n: 4 }, { n: 3 }]);
    expect(first.deliveries[0]).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastStatusCode: 500,
      lastError: "HTTP 500 Internal Server Error",
      lastDurationMs: 12,
    });
    const second = await api.webhook.deliveries({ projectSlug: project.slug, webhookId: webhook.id, limit: 2, cursor: first.nextCursor });
    const third = await api.webhook.deliveries({ projectSlug: project.slug, webhookId: webhook.id, limit: 2, cursor: second.nextCursor });
    expect([...second.deliveries, ...third.deliveries].map((d) => d.payload)).toEqual([{ n: 2 }, { n: 1 }, { n: 0 }]);
    expect(third.nextCursor).toBeNull();
    const [listed] = await api.webhook.list({ projectSlug: project.slug });
    expect(listed!.lastDelivery).toMatchObject({ status: "failed", lastStatusCode: 500 });
  });

  it("refuses a test or a redelivery while switched off, and redelivering one still being retried", async () => {
    const { owner, project, ctx } = await projectContext("webhook.manage");
    const { webhook, deliveryId } = await seedWebhook(ctx, { delivery: "failed" });
    const api = callerFor(sessionOf(owner));
    const projectSlug = project.slug;
    const { deliveryId: pending } = await api.webhook.sendTest({ projectSlug, webhookId: webhook.id });
    expect(await outcome(() => api.webhook.redeliver({ projectSlug, deliveryId: pending }))).toBe("CONFLICT");
    await api.webhook.update({ projectSlug, webhookId: webhook.id, active: false });
    expect(await outcome(() => api.webhook.sendTest({ projectSlug, webhookId: webhook.id }))).toBe("CONFLICT");
    expect(await outcome(() => api.webhook.redeliver({ projectSlug, deliveryId: deliveryId! }))).toBe("CONFLICT");
    expect(await deliveriesOf(webhook.id)).toHaveLength(2);
  });
});

describe("webhooks: what a delivery that got no HTTP answer records", () => {
  const sockets: Socket[] = [];
  const tcp = (onConnection: (socket: Socket) => void) =>
    new Promise<TcpServer>((resolve) => {
      const server = createTcpServer((socket) => {
        sockets.push(socket);
        onConnection(socket);
      });
      server.listen(0, "127.0.0.1", () => resolve(server));
    });

  it("records the same reason, and no duration, for a closed port and for open ports that do not answer HTTP", async () => {
    const { ctx } = await projectContext("webhook.manage");
    const banner = await tcp((socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"));
    const hangUp = await tcp((socket) => socket.destroy());
    const silent = await tcp(() => {});
    const closed = await tcp(() => {});
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const ports = [closedPort, ...[banner, hangUp, silent].map((server) => (server.address() as AddressInfo).port)];
      const deliveries = await Promise.all(
        ports.map(async (port) => {
          const { webhook } = await seedWebhook(ctx, { url: `http://127.0.0.1:${port}/hook` });
          // Written but not queued: attempted here, once, as the worker would.
          const [row] = await getDb()
            .insert(webhookDeliveries)
            .values({ webhookId: webhook.id, event: "ping", payload: { event: "ping" } })
            .returning();
          return { id: row!.id, result: await attemptDelivery(system(), row!.id) };
        }),
      );
      for (const { id, result } of deliveries) {
        expect(result).toMatchObject({ outcome: "retry", error: NO_ANSWER });
        const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
        expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastDurationMs: null, lastError: NO_ANSWER });
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await Promise.all([banner, hangUp, silent].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }, 30_000);
});

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** A local receiver: each path answers the status its plan gives for the n-th request (from 1). */
function startReceiver() {
  const received: Received[] = [];
  const plans = new Map<string, (n: number) => number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = (plans.get(path) ?? (() => 200))(received.filter((r) => r.path === path).length);
      res.writeHead(status, status >= 300 && status < 400 ? { location: `${path}/elsewhere` } : { "content-type": "text/plain" });
      res.end(status < 300 ? "ok" : "no");
    });
  });
  return {
    received,
    plans,
    listen: () => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    at: (path: string) => received.filter((r) => r.path === path),
  };
}

/** Polls `read` until `done` holds (deliveries go through pg-boss, which polls every 2 s). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const onlyDelivery = async (webhookId: string) => (await deliveriesOf(webhookId))[0];

describe("webhooks: delivery through the job queue", () => {
  const receiver = startReceiver();
  let origin: string;
  let stopJobs: () => Promise<void>;
  let ctx: ProjectContext;
  let owner: Awaited<ReturnType<typeof makeUser>>;

  beforeAll(async () => {
    origin = await receiver.listen();
    stopJobs = await startJobs(process.env.DATABASE_URL!);
    ({ ctx, owner } = await projectContext("webhook.manage"));
  });

  afterAll(async () => {
    await stopJobs?.();
    await receiver.close();
  });

  const promotionApplied = () =>
    inTransaction(ctx, (tx) =>
      publish(tx, {
        project: ctx.project,
        kind: "promotion.applied",
        title: "scorer v7 is now Production",
        path: `/p/${ctx.project.slug}/promotions/1`,
        webhook: { event: "promotion.applied", payload: { model: "scorer", version: "7", target: { kind: "stage", value: "Production" } } },
      }),
    );

  it("retries after a 500 and delivers, signed over the exact raw body, with every header", async () => {
    const path = `/${unique("flaky")}`;
    receiver.plans.set(path, (n) => (n === 1 ? 500 : 200));
    const api = callerFor(sessionOf(owner));
    const { webhook, secret } = await api.webhook.create({ projectSlug: ctx.project.slug, url: `${origin}${path}`, events: ["promotion.applied"] });

    await promotionApplied();

    const failedOnce = await until(
      () => onlyDelivery(webhook.id),
      (d) => d?.attempts === 1,
    );
    expect(failedOnce).toMatchObject({ status: "pending", lastStatusCode: 500, lastError: "HTTP 500 Internal Server Error" });
    expect(failedOnce!.nextAttemptAt.getTime()).toBeGreaterThan(failedOnce!.createdAt.getTime());
    const delivered = await until(
      () => onlyDelivery(webhook.id),
      (d) => d?.status === "delivered",
    );
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
    expect(delivered!.deliveredAt).toBeInstanceOf(Date);
    expect(delivered!.lastDurationMs).toBeGreaterThanOrEqual(0);

    const requests = receiver.at(path);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.headers).toMatchObject({
        "content-type": "application/json",
        "user-agent": "Cairn-Webhook/1",
        "x-cairn-event": "promotion.applied",
        "x-cairn-delivery": delivered!.id,
        "x-cairn-signature": expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
      });
      expect(verifyWebhookSignature(secret, request.headers["x-cairn-signature"] as string, request.body)).toBe(true);
      expect(verifyWebhookSignature("whsec_wrong", request.headers["x-cairn-signature"] as string, request.body)).toBe(false);
      expect(JSON.parse(request.body)).toEqual(delivered!.payload);
    }
    expect(JSON.parse(requests[1]!.body)).toMatchObject({
      event: "promotion.applied",
      project: ctx.project.slug,
      model: "scorer",
      version: "7",
      url: expect.stringContaining(`/p/${ctx.project.slug}/promotions/1`),
    });

    const api2 = callerFor(sessionOf(owner));
    const log = await api2.webhook.deliveries({ projectSlug: ctx.project.slug, webhookId: webhook.id });
    expect(log.deliveries).toEqual([expect.objectContaining({ id: delivered!.id, status: "delivered", attempts: 2, lastStatusCode: 200 })]);
    const listed = (await api2.webhook.list({ projectSlug: ctx.project.slug })).find((w) => w.id === webhook.id);
    expect(listed!.lastDelivery).toMatchObject({ status: "delivered", event: "promotion.applied" });
  }, 60_000);

  it("sends nothing to a switched-off webhook or to one not subscribed to the event", async () => {
    const [on, off, other] = [`/${unique("on")}`, `/${unique("off")}`, `/${unique("other")}`];
    const subscribed = await seedWebhook(ctx, { url: `${origin}${on}`, events: ["promotion.applied"] });
    const inactive = await seedWebhook(ctx, { url: `${origin}${off}`, events: ["promotion.applied"], active: false });
    const unsubscribed = await seedWebhook(ctx, { url: `${origin}${other}`, events: ["promotion.requested", "promotion.rejected"] });

    await promotionApplied();

    await until(
      () => onlyDelivery(subscribed.webhook.id),
      (d) => d?.status === "delivered",
    );
    expect(receiver.at(on)).toHaveLength(1);
    expect(await deliveriesOf(inactive.webhook.id)).toEqual([]);
    expect(await deliveriesOf(unsubscribed.webhook.id)).toEqual([]);
    expect(receiver.at(off)).toEqual([]);
    expect(receiver.at(other)).toEqual([]);
  }, 60_000);

  it("marks a queued delivery failed, unsent, when its webhook was switched off meanwhile", async () => {
    const path = `/${unique("switched-off")}`;
    const { webhook } = await seedWebhook(ctx, { url: `${origin}${path}` });
    const [row] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, event: "promotion.applied", payload: { event: "promotion.applied" } })
      .returning();
    await getDb().update(webhooks).set({ active: false }).where(eq(webhooks.id, webhook.id));
    await enqueue(QUEUES.webhook, { id: row!.id });
    const settled = await until(
      async () => (await deliveriesOf(webhook.id)).find((d) => d.id === row!.id),
      (d) => d?.status !== "pending",
    );
    expect(settled).toMatchObject({ status: "failed", attempts: 0, lastError: expect.stringContaining("switched off") });
    expect(receiver.at(path)).toEqual([]);
  }, 60_000);

  it("delivers a test ping, and redelivers it as a new delivery", async () => {
    const path = `/${unique("ping")}`;
    const api = callerFor(sessionOf(owner));
    const { webhook, secret } = await api.webhook.create({ projectSlug: ctx.project.slug, url: `${origin}${path}`, events: ["model_version.registered"] });
    const { deliveryId } = await api.webhook.sendTest({ projectSlug: ctx.project.slug, webhookId: webhook.id });
    await until(
      () => onlyDelivery(webhook.id),
      (d) => d?.status === "delivered",
    );
    const [ping] = receiver.at(path);
    expect(ping!.headers).toMatchObject({ "x-cairn-event": "ping", "x-cairn-delivery": deliveryId });
    expect(JSON.parse(ping!.body)).toMatchObject({
      event: "ping",
      project: ctx.project.slug,
      webhook: { id: webhook.id, events: ["model_version.registered"] },
    });
    expect(verifyWebhookSignature(secret, ping!.headers["x-cairn-signature"] as string, ping!.body)).toBe(true);

    const again = await api.webhook.redeliver({ projectSlug: ctx.project.slug, deliveryId });
    expect(again.deliveryId).not.toBe(deliveryId);
    await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows.length === 2 && rows.every((d) => d.status === "delivered"),
    );
    const [, redelivered] = receiver.at(path);
    expect(redelivered!.headers["x-cairn-delivery"]).toBe(again.deliveryId);
    expect(redelivered!.body).toBe(ping!.body);
  }, 60_000);

  it("keeps retrying a receiver that always fails, recording each attempt, and gives up after the attempt budget", async () => {
    const path = `/${unique("down")}`;
    receiver.plans.set(path, () => 503);
    const { webhook } = await seedWebhook(ctx, { url: `${origin}${path}` });
    await promotionApplied();
    const first = await until(
      () => onlyDelivery(webhook.id),
      (d) => (d?.attempts ?? 0) >= 1,
    );
    expect(first).toMatchObject({ status: "pending", lastStatusCode: 503, lastError: "HTTP 503 Service Unavailable" });
    const second = await until(
      () => onlyDelivery(webhook.id),
      (d) => (d?.attempts ?? 0) >= 2,
    );
    expect(second).toMatchObject({ status: "pending", lastStatusCode: 503 });

    // A delivery with one attempt left (as if retried for hours): the next failure is the last.
    const [exhausted] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, event: "promotion.applied", payload: { event: "promotion.applied" }, attempts: MAX_ATTEMPTS - 1 })
      .returning();
    await enqueue(QUEUES.webhook, { id: exhausted!.id });
    const gaveUp = await until(
      async () => (await deliveriesOf(webhook.id)).find((d) => d.id === exhausted!.id),
      (d) => d?.status !== "pending",
    );
    expect(gaveUp).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: 503, deliveredAt: null });
  }, 60_000);

  it("delivers to a name when every address it resolves to is allowed", async () => {
    const path = `/${unique("by-name")}`;
    const { webhook } = await seedWebhook(ctx, { url: `${origin.replace("127.0.0.1", "localhost")}${path}` });
    await promotionApplied();
    await until(
      () => onlyDelivery(webhook.id),
      (d) => d?.status === "delivered",
    );
    expect(receiver.at(path)).toHaveLength(1);
  }, 60_000);

  it("does not follow redirects", async () => {
    const path = `/${unique("moved")}`;
    receiver.plans.set(path, () => 302);
    const { webhook } = await seedWebhook(ctx, { url: `${origin}${path}` });
    await promotionApplied();
    const attempted = await until(
      () => onlyDelivery(webhook.id),
      (d) => (d?.attempts ?? 0) >= 1,
    );
    expect(attempted).toMatchObject({ status: "pending", lastStatusCode: 302, lastError: expect.stringContaining("redirects are not followed") });
    expect(receiver.at(`${path}/elsewhere`)).toEqual([]);
  }, 60_000);

  it("requeues, once, a delivery whose job was lost", async () => {
    const path = `/${unique("lost")}`;
    const { webhook } = await seedWebhook(ctx, { url: `${origin}${path}` });
    // Written, but never queued (a crash after commit, or the CLI, which runs no queue).
    const [lost] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, event: "promotion.applied", payload: { event: "promotion.applied" }, nextAttemptAt: new Date(Date.now() - 120_000) })
      .returning();
    const [fresh] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, event: "promotion.applied", payload: { event: "promotion.applied", fresh: true } })
      .returning();
    // Twice at once, as overlapping sweeps would: the row is queued once.
    const sweeps = await Promise.all([sweepOutbox(), sweepOutbox()]);
    expect(sweeps.reduce((queued, sweep) => queued + sweep.webhooks, 0)).toBeGreaterThanOrEqual(1);
    await until(
      async () => (await deliveriesOf(webhook.id)).find((d) => d.id === lost!.id),
      (d) => d?.status === "delivered",
    );
    await sweepOutbox();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(receiver.at(path).map((r) => r.headers["x-cairn-delivery"])).toEqual([lost!.id]);
    // A delivery written less than a minute ago is left to the job its writer queued.
    expect((await deliveriesOf(webhook.id)).find((d) => d.id === fresh!.id)).toMatchObject({ status: "pending", attempts: 0 });
  }, 60_000);
});
