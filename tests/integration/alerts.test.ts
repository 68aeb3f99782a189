import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActorUser } from "../../server/access/actor";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { alerts, auditEvents, emailOutbox, notifications, registeredModels, watches, webhookDeliveries } from "../../server/db/schema";
import { startJobs } from "../../server/jobs";
import { evaluateModelAlerts, evaluateRunAlerts, sweepAlerts } from "../../server/services/alerts/evaluate";
import { createAlertRule } from "../../server/services/alerts/rules";
import { listAlerts } from "../../server/services/alerts/views";
import { ingestLabels, ingestRecords } from "../../server/services/monitoring/ingest";
import { setReference } from "../../server/services/monitoring/reference";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { uuidOfRunId } from "../../server/services/tracking/ids";
import { createRun, updateRun } from "../../server/services/tracking/runs";
import { attemptDelivery } from "../../server/services/webhooks/delivery";
import { createWebhook, deleteWebhook } from "../../server/services/webhooks/webhooks";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf, system, unique } from "../support/factories";

/**
 * Alert rules end to end on real telemetry and runs: each kind opens and resolves, an alert is
 * opened once however often its rule holds, and it reaches watchers' inboxes, their e-mail (the
 * outbox), webhooks (Slack's `{ text }` to a receiver on loopback) and the audit trail.
 */

// Read lazily by the server on first use, after these lines.
process.env.CAIRN_SMTP_URL = "smtp://127.0.0.1:9";
process.env.CAIRN_WEBHOOK_ALLOWED_NETWORKS = "127.0.0.0/8,::1/128";
process.env.CAIRN_PUBLIC_URL = "https://cairn.example.test";

const HOUR = 3_600_000;
const db = () => getDb();

let ctx: ProjectContext;
let maintainer: ActorUser;
let contributor: ActorUser;
let watcher: ActorUser;
let modelWatcher: ActorUser;
let experimentId: string;

/** The reference sample: age spread over 20–79, city among three, prediction 0 or 1. */
const REFERENCE = {
  columns: ["age", "city", "prediction"],
  data: Array.from({ length: 120 }, (_, i) => [20 + (i % 60), ["Oslo", "Bergen", "Tromsø"][i % 3]!, i % 2]),
};

/** Records like the reference (`drifted`: every age far above it), in the hour of `at`. */
const records = (prefix: string, at: number, n: number, drifted = false, prediction = (i: number) => i % 2) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    timestamp: at + i,
    features: { age: drifted ? 500 + i : 20 + (i % 60), city: ["Oslo", "Bergen", "Tromsø"][i % 3]! },
    prediction: prediction(i),
  }));

/** A model whose version 1 (from a run that logged val_accuracy 0.9) is @champion and has the reference. */
async function makeModel() {
  const name = unique("churn");
  await createRegisteredModel({ ctx, input: { name } });
  const run = await createRun({ ctx, input: { experimentId } });
  await logBatch({ ctx, input: { runId: run.info.runId, metrics: [{ key: "val_accuracy", value: 0.9, timestamp: 1 }] } });
  await createModelVersion({ ctx, input: { name, source: `runs:/${run.info.runId}/model`, runId: run.info.runId } });
  await setAlias({ ctx, input: { name, alias: "champion", version: 1 } });
  await setReference(ctx, { model: name, version: 1, rows: REFERENCE });
  const [row] = await db()
    .select({ id: registeredModels.id })
    .from(registeredModels)
    .where(and(eq(registeredModels.projectId, ctx.project.id), eq(registeredModels.name, name)));
  await db().insert(watches).values({ userId: modelWatcher.id, projectId: ctx.project.id, subjectType: "registered_model", subjectId: row!.id });
  return { name, id: row!.id };
}

const alertsOfRule = (ruleId: string) => db().select().from(alerts).where(eq(alerts.ruleId, ruleId)).orderBy(alerts.openedAt);

beforeAll(async () => {
  ({ ctx } = await projectContext("member.manage"));
  maintainer = await makeUser();
  contributor = await makeUser();
  watcher = await makeUser();
  modelWatcher = await makeUser();
  await addMember(ctx.project.id, maintainer, "maintainer");
  await addMember(ctx.project.id, contributor, "contributor");
  await addMember(ctx.project.id, watcher, "viewer");
  await addMember(ctx.project.id, modelWatcher, "viewer");
  await db().insert(watches).values({ userId: watcher.id, projectId: ctx.project.id, subjectType: "project", subjectId: ctx.project.id });
  ({ experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } }));
});

describe("alert rules", () => {
  it("are validated per kind, need a model for monitoring kinds, keep their kind, and are audited", async () => {
    const api = callerFor(sessionOf(maintainer));
    const projectSlug = ctx.project.slug;
    const { name } = await makeModel();
    const refused = (input: unknown) => outcome(() => api.alert.createRule({ projectSlug, ...(input as object) } as never));
    expect(await refused({ name: "x", config: { kind: "drift", target: "champion", statistic: "psi", threshold: 0.2, windows: 1 } })).toBe("BAD_REQUEST");
    expect(await refused({ name: "x", modelName: name, config: { kind: "drift", target: "champion", statistic: "psi", threshold: 0, windows: 1 } })).toBe(
      "BAD_REQUEST",
    );
    expect(await refused({ name: "x", modelName: name, config: { kind: "no_traffic", target: "champion", hours: 0 } })).toBe("BAD_REQUEST");
    expect(await refused({ name: "x", config: { kind: "run_failed", hours: 3 } })).toBe("BAD_REQUEST");
    expect(await refused({ name: "x", config: { kind: "metric_threshold", metric: "loss", comparison: "above", value: 1 } })).toBe("BAD_REQUEST");
    expect(await refused({ name: "x", config: { kind: "run_failed", experimentId: "999999" } })).toBe("NOT_FOUND");

    const rule = await api.alert.createRule({
      projectSlug,
      name: "Age drift",
      modelName: name,
      config: { kind: "drift", target: "champion", statistic: "psi", threshold: 0.25, windows: 2, column: "age" },
    });
    expect(rule).toMatchObject({ kind: "drift", modelName: name, enabled: true, config: { kind: "drift", threshold: 0.25, windows: 2, column: "age" } });
    const training = await api.alert.createRule({ projectSlug, name: "Failures", config: { kind: "run_failed" } });
    expect(training.modelId).toBeNull();

    const changed = await api.alert.updateRule({
      projectSlug,
      ruleId: rule.id,
      enabled: false,
      config: { kind: "drift", target: "champion", statistic: "ks", threshold: 0.3, windows: 1 },
    });
    expect(changed).toMatchObject({ enabled: false, config: { statistic: "ks", threshold: 0.3 } });
    expect(changed.config).not.toHaveProperty("column");
    expect(await outcome(() => api.alert.updateRule({ projectSlug, ruleId: rule.id, config: { kind: "no_traffic", target: "champion", hours: 2 } }))).toBe(
      "BAD_REQUEST",
    );

    const viewer = callerFor(sessionOf(watcher));
    expect((await viewer.alert.rules({ projectSlug })).map((r) => r.id)).toEqual(expect.arrayContaining([rule.id, training.id]));
    const asContributor = callerFor(sessionOf(contributor));
    expect(await outcome(() => asContributor.alert.createRule({ projectSlug, name: "x", config: { kind: "run_failed" } }))).toBe("FORBIDDEN");
    expect(await outcome(() => asContributor.alert.deleteRule({ projectSlug, ruleId: rule.id }))).toBe("FORBIDDEN");
    expect(await outcome(() => viewer.alert.updateRule({ projectSlug, ruleId: rule.id, enabled: true }))).toBe("FORBIDDEN");

    await api.alert.deleteRule({ projectSlug, ruleId: training.id });
    expect(await outcome(() => api.alert.deleteRule({ projectSlug, ruleId: training.id }))).toBe("NOT_FOUND");
    const trail = await db()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, ctx.project.id), inArray(auditEvents.targetId, [rule.id, training.id])));
    expect(trail.map((t) => t.action).sort()).toEqual(["alert_rule.create", "alert_rule.create", "alert_rule.delete", "alert_rule.update"]);
  });
});

describe("monitoring alerts", () => {
  it("drift opens once while it holds, reaches watchers, e-mail, webhooks and the trail, and resolves when it stops", async () => {
    const model = await makeModel();
    const hook = await createWebhook({ ctx, input: { url: "https://hooks.example.invalid/cairn", events: ["alert.opened", "alert.resolved"] } });
    const rule = await createAlertRule(ctx, {
      name: "Drift at champion",
      modelName: model.name,
      config: { kind: "drift", target: "champion", statistic: "psi", threshold: 0.5, windows: 1 },
    });
    const now = Date.now();
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("calm", now - 3 * HOUR, 60) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 0 });

    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("shift", now - 2 * HOUR, 60, true) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 1, resolved: 0 });
    const [opened] = await alertsOfRule(rule.id);
    expect(opened).toMatchObject({ status: "open", subject: "target:champion/column:age", modelId: model.id });
    expect(opened!.title).toContain("Drift on 'age'");
    expect(opened!.details).toMatchObject({ column: "age", statistic: "psi", threshold: 0.5 });

    // Holding again opens nothing new: the open alert is seen again.
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 0 });
    const again = await alertsOfRule(rule.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.lastSeenAt.getTime()).toBeGreaterThan(opened!.lastSeenAt.getTime());

    const inbox = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.projectId, ctx.project.id), eq(notifications.kind, "alert.opened")));
    const told = inbox.filter((n) => n.title === opened!.title).map((n) => n.userId);
    expect(told.sort()).toEqual([watcher.id, modelWatcher.id].sort());
    const mail = await db()
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.subject, `[Cairn ${ctx.project.slug}] ${opened!.title}`));
    expect(mail.map((m) => m.to).sort()).toEqual([watcher.email, modelWatcher.email].sort());
    const [delivery] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.webhook.id));
    expect(delivery).toMatchObject({
      event: "alert.opened",
      payload: { event: "alert.opened", project: ctx.project.slug, model: model.name, rule: { id: rule.id, kind: "drift" }, alert: { id: opened!.id } },
    });

    // A calm hour after the shifted one: the latest window no longer drifts.
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("calm-again", now - HOUR, 60) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 1 });
    const [resolved] = await alertsOfRule(rule.id);
    expect(resolved).toMatchObject({ status: "resolved", resolvedAt: expect.any(Date) });
    const events = await db().select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.webhook.id));
    expect(events.map((e) => e.event).sort()).toEqual(["alert.opened", "alert.resolved"]);
    const trail = await db()
      .select({ action: auditEvents.action, actor: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, opened!.id))
      .orderBy(auditEvents.id);
    expect(trail).toEqual([
      { action: "alert.open", actor: "alerts" },
      { action: "alert.resolve", actor: "alerts" },
    ]);
    expect((await listAlerts(ctx, { modelId: model.id, status: "resolved" })).map((a) => a.id)).toEqual([opened!.id]);
    // Its deliveries would keep the queue's webhook worker busy later in this file (the host does not resolve).
    await deleteWebhook({ ctx, input: { webhookId: hook.webhook.id } });
  });

  it("drift needs K windows in a row above the threshold", async () => {
    const model = await makeModel();
    const rule = await createAlertRule(ctx, {
      name: "Drift twice",
      modelName: model.name,
      config: { kind: "drift", target: "champion", statistic: "ks", threshold: 0.5, windows: 2, column: "age" },
    });
    const now = Date.now();
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("a", now - 3 * HOUR, 40, true) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 0 });
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("b", now - 2 * HOUR, 40, true) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 1, resolved: 0 });
    expect((await alertsOfRule(rule.id))[0]!.details).toMatchObject({ statistic: "ks", windows: [expect.any(Object), expect.any(Object)] });
  });

  it("decay opens when the production metric is worse than validation by the margin, and resolves when it recovers", async () => {
    const model = await makeModel();
    const rule = await createAlertRule(ctx, { name: "Decay", modelName: model.name, config: { kind: "decay", target: "champion", margin: 0.1, windows: 1 } });
    const now = Date.now();
    // Every prediction is 1; labels say 0 for 3 in 4 records: accuracy 0.25 against 0.9 at validation.
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("bad", now - 2 * HOUR, 40, false, () => 1) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 0 });
    await ingestLabels(ctx, { model: model.name, labels: Array.from({ length: 40 }, (_, i) => ({ id: `bad-${i}`, label: i % 4 === 0 ? 1 : 0 })) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 1, resolved: 0 });
    const [open] = await alertsOfRule(rule.id);
    expect(open).toMatchObject({ subject: "target:champion", details: { metric: "accuracy", windows: [{ production: 0.25, validation: 0.9, version: 1 }] } });

    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("good", now - HOUR, 20, false, () => 1) });
    await ingestLabels(ctx, { model: model.name, labels: Array.from({ length: 20 }, (_, i) => ({ id: `good-${i}`, label: 1 })) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 1 });
  });

  it("no traffic opens after N quiet hours and resolves with the next record", async () => {
    const model = await makeModel();
    const rule = await createAlertRule(ctx, { name: "Quiet", modelName: model.name, config: { kind: "no_traffic", target: "champion", hours: 2 } });
    const now = Date.now();
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("old", now - 5 * HOUR, 5) });
    expect(await sweepAlerts()).toMatchObject({ opened: expect.any(Number) });
    const [open] = await alertsOfRule(rule.id);
    expect(open).toMatchObject({ status: "open", subject: "target:champion", title: expect.stringContaining("No traffic") });

    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("new", now, 1) });
    expect(await evaluateModelAlerts(ctx, model.id)).toEqual({ opened: 0, resolved: 1 });
  });
});

describe("training alerts", () => {
  it("run failed opens for a failed run and resolves when the run is set going again", async () => {
    const rule = await createAlertRule(ctx, { name: "Failed runs", config: { kind: "run_failed", experimentId } });
    const run = await createRun({ ctx, input: { experimentId, runName: "flaky-run" } });
    const runId = run.info.runId;
    const runUuid = uuidOfRunId(runId)!;
    await updateRun({ ctx, input: { runId, status: "FAILED" } });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ opened: 1 });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ opened: 0 });
    const [open] = await alertsOfRule(rule.id);
    expect(open).toMatchObject({ status: "open", subject: `run:${runUuid}`, title: expect.stringContaining("flaky-run"), details: { runId } });

    await updateRun({ ctx, input: { runId, status: "RUNNING" } });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ resolved: 1 });
  });

  it("metric threshold follows the latest value logged", async () => {
    const rule = await createAlertRule(ctx, { name: "Loss too high", config: { kind: "metric_threshold", metric: "loss", comparison: "gt", value: 0.5 } });
    const run = await createRun({ ctx, input: { experimentId } });
    const runId = run.info.runId;
    const runUuid = uuidOfRunId(runId)!;
    await logBatch({ ctx, input: { runId, metrics: [{ key: "loss", value: 0.4, timestamp: 1, step: 0 }] } });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ opened: 0 });
    await logBatch({ ctx, input: { runId, metrics: [{ key: "loss", value: 0.9, timestamp: 2, step: 1 }] } });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ opened: 1 });
    expect((await alertsOfRule(rule.id))[0]).toMatchObject({ subject: `run:${runUuid}/metric:loss`, details: { value: 0.9, threshold: 0.5 } });
    await logBatch({ ctx, input: { runId, metrics: [{ key: "loss", value: 0.2, timestamp: 3, step: 2 }] } });
    expect(await evaluateRunAlerts(ctx, runUuid)).toMatchObject({ resolved: 1 });
  });
});

describe("alerts through the job queue, to a Slack webhook", () => {
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ body, headers: req.headers });
      res.writeHead(200).end();
    });
  });
  let stopJobs: () => Promise<void>;
  let origin: string;

  beforeAll(async () => {
    origin = await new Promise<string>((resolve) =>
      receiver.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)),
    );
    stopJobs = await startJobs(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await stopJobs?.();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("a telemetry batch queues the model's evaluation; the alert reaches a Slack webhook as one line of text", async () => {
    const model = await makeModel();
    const hook = await createWebhook({ ctx, input: { url: `${origin}/slack`, events: ["alert.opened"], format: "slack" } });
    const rule = await createAlertRule(ctx, {
      name: "Drift",
      modelName: model.name,
      config: { kind: "drift", target: "champion", statistic: "psi", threshold: 0.5, windows: 1 },
    });
    await ingestRecords(ctx, { model: model.name, alias: "champion", records: records("q", Date.now(), 50, true) });
    const [alert] = await until(
      () => alertsOfRule(rule.id),
      (rows) => rows.length > 0,
    );
    const [delivery] = await until(
      () => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.webhook.id)),
      (rows) => rows[0]?.status === "delivered",
    );
    // The log keeps Cairn's event; the receiver got Slack's message made from it.
    expect(delivery!.payload).toMatchObject({ event: "alert.opened", alert: { id: alert!.id } });
    const got = received.find((r) => r.headers["x-cairn-delivery"] === delivery!.id)!;
    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toMatch(
      new RegExp(`^:rotating_light: \\[${ctx.project.slug}\\] <https://cairn\\.example\\.test/p/${ctx.project.slug}/alerts\\?status=open\\|Drift on 'age'`),
    );
  });

  it("a run set to FAILED queues the run's evaluation after the change commits", async () => {
    const rule = await createAlertRule(ctx, { name: "Any failure", config: { kind: "run_failed" } });
    const run = await createRun({ ctx, input: { experimentId } });
    await updateRun({ ctx, input: { runId: run.info.runId, status: "FAILED" } });
    const [alert] = await until(
      () => alertsOfRule(rule.id),
      (rows) => rows.length > 0,
    );
    expect(alert).toMatchObject({ status: "open", title: expect.stringContaining("failed") });
  });

  it("a maintainer resolves by hand (audited as them), which reaches a Slack webhook too; others may not", async () => {
    const hook = await createWebhook({ ctx, input: { url: `${origin}/slack-manual`, events: ["alert.resolved"], format: "slack" } });
    const model = await makeModel();
    const rule = await createAlertRule(ctx, { name: "Quiet <now>", modelName: model.name, config: { kind: "no_traffic", target: "", hours: 1 } });
    await ingestRecords(ctx, { model: model.name, version: 1, records: records("old", Date.now() - 4 * HOUR, 3) });
    await evaluateModelAlerts(ctx, model.id);
    const [open] = await alertsOfRule(rule.id);
    const projectSlug = ctx.project.slug;
    expect(await outcome(() => callerFor(sessionOf(contributor)).alert.resolve({ projectSlug, alertId: open!.id }))).toBe("FORBIDDEN");
    await callerFor(sessionOf(maintainer)).alert.resolve({ projectSlug, alertId: open!.id });
    expect(await outcome(() => callerFor(sessionOf(maintainer)).alert.resolve({ projectSlug, alertId: open!.id }))).toBe("CONFLICT");
    const [delivery] = await until(
      () => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.webhook.id)),
      (rows) => rows[0]?.status === "delivered",
    );
    expect(await attemptDelivery(system(), delivery!.id)).toMatchObject({ outcome: "skipped" });
    const got = received.find((r) => r.headers["x-cairn-delivery"] === delivery!.id)!;
    expect((JSON.parse(got.body) as { text: string }).text).toContain(":white_check_mark:");
    const trail = await db()
      .select({ action: auditEvents.action, actor: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, open!.id))
      .orderBy(auditEvents.id);
    expect(trail).toEqual([
      { action: "alert.open", actor: "alerts" },
      { action: "alert.resolve", actor: maintainer.email },
    ]);
    const page = await callerFor(sessionOf(watcher)).alert.list({ projectSlug, status: "resolved", modelName: model.name, limit: 1 });
    expect(page).toMatchObject({ alerts: [{ id: open!.id, ruleName: "Quiet <now>", kind: "no_traffic", status: "resolved" }], more: false });
  });
});
