import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { webhookDeliveries, webhooks } from "../../server/db/schema";
import { attemptDelivery } from "../../server/services/webhooks/delivery";
import { callerFor, projectContext, sessionOf, system } from "../support/factories";
import { seedWebhook } from "../support/webhook-seed";

// The default policy: no network allowed. Read lazily by the server on first use, after this line.
process.env.CAIRN_WEBHOOK_ALLOWED_NETWORKS = "";

const INTERNAL_TARGETS = [
  "http://127.0.0.1:5432/",
  "http://169.254.169.254/latest/meta-data/",
  "http://[::1]/",
  "http://0.0.0.0/",
  "http://2130706433/",
  "http://0x7f.1/",
  "http://[::ffff:169.254.169.254]/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://localhost:3000/",
  "http://[fc00::1]/",
  "http://[fd12:3456::1]/",
  "http://10.0.0.1/",
  "http://172.16.0.1/",
  "http://192.168.0.1/",
  "http://100.64.0.1/",
];

describe("webhook targets: the default policy", () => {
  it("refuses to save a webhook for an internal, local or metadata address, with a message on the URL", async () => {
    const { owner, project } = await projectContext("webhook.manage");
    const api = callerFor(sessionOf(owner));
    for (const url of INTERNAL_TARGETS) {
      await expect(api.webhook.create({ projectSlug: project.slug, url, events: ["promotion.applied"] }), url).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("Webhooks cannot be sent to"),
      });
    }
    await expect(api.webhook.create({ projectSlug: project.slug, url: "http://0x7f.1/", events: ["promotion.applied"] })).rejects.toMatchObject({
      message: expect.stringContaining("127.0.0.1: it is a loopback address"),
    });
    expect(await api.webhook.list({ projectSlug: project.slug })).toEqual([]);
  });

  it("refuses to move a webhook to such an address, leaving it unchanged", async () => {
    const { owner, project, ctx } = await projectContext("webhook.manage");
    const { webhook } = await seedWebhook(ctx, { url: "https://ci.example.invalid/cairn" });
    const api = callerFor(sessionOf(owner));
    for (const url of ["http://[::ffff:169.254.169.254]/", "http://192.168.0.1/"]) {
      await expect(api.webhook.update({ projectSlug: project.slug, webhookId: webhook.id, url })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const [stored] = await getDb().select({ url: webhooks.url }).from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(stored!.url).toBe("https://ci.example.invalid/cairn");
  });
});

describe("webhook targets: checked again at delivery, after resolving the name", () => {
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    received.push(req.url ?? "/");
    res.end("ok");
  });
  let port: number;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  /** A webhook whose stored URL the policy would refuse today (saved before it, or before its name moved). */
  async function pendingDeliveryTo(url: string) {
    const { ctx } = await projectContext("webhook.manage");
    const { webhook } = await seedWebhook(ctx);
    await getDb().update(webhooks).set({ url }).where(eq(webhooks.id, webhook.id));
    const [row] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, event: "ping", payload: { event: "ping" } })
      .returning();
    return row!.id;
  }
  const deliveryRow = async (id: string) => (await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

  it("sends nothing to a name that resolves to a loopback address", async () => {
    const id = await pendingDeliveryTo(`http://localhost:${port}/rebound`);
    const result = await attemptDelivery(system(), id);
    expect(result).toMatchObject({ outcome: "retry", error: "Not sent: localhost resolves to a loopback address, which webhooks may not reach" });
    expect(received).toEqual([]);
    expect(await deliveryRow(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: null,
      lastDurationMs: null,
      lastError: expect.stringContaining("resolves to a loopback address"),
    });
  });

  it("sends nothing to a stored address literal the policy refuses", async () => {
    const id = await pendingDeliveryTo(`http://2130706433:${port}/literal`);
    expect(await attemptDelivery(system(), id)).toMatchObject({
      outcome: "retry",
      error: "Not sent: 127.0.0.1 is a loopback address, which webhooks may not reach",
    });
    expect(received).toEqual([]);
  });
});
