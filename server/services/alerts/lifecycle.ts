import { and, eq, getTableColumns, like, notInArray, sql } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { alerts, registeredModels } from "../../db/schema";
import { recordAudit } from "../audit";
import { publish, type Subject } from "../events";
import type { AlertRule } from "./rules";

/** A subject a rule holds for right now, with what the alert says about it. */
export type Holding = { subject: string; title: string; details: Record<string, unknown> };

type AlertRow = typeof alerts.$inferSelect;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** Who hears of a rule's alerts: the project's watchers, and the model's when the rule names one. */
async function announce(ctx: ProjectContext, rule: AlertRule, alert: AlertRow, event: "alert.opened" | "alert.resolved", byHand = false) {
  const watched: Subject[] = [{ type: "project", id: ctx.project.id }];
  if (rule.modelId) watched.push({ type: "registered_model", id: rule.modelId });
  const [model] = rule.modelId ? await ctx.db.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.id, rule.modelId)) : [];
  const resolved = event === "alert.resolved";
  const title = resolved ? `Resolved: ${alert.title}` : alert.title;
  await publish(ctx, {
    project: ctx.project,
    kind: event,
    title,
    body: byHand
      ? `Resolved by hand; if rule '${rule.name}' still holds, a new alert opens at its next evaluation.`
      : resolved
        ? `Rule '${rule.name}' no longer holds.`
        : `Rule '${rule.name}' (${rule.kind}) holds.`,
    path: `/p/${ctx.project.slug}/alerts?status=${alert.status}`,
    watched,
    webhook: {
      event,
      payload: {
        title,
        alert: {
          id: alert.id,
          status: alert.status,
          title: alert.title,
          subject: alert.subject,
          details: alert.details,
          openedAt: alert.openedAt.toISOString(),
          resolvedAt: alert.resolvedAt?.toISOString() ?? null,
        },
        rule: { id: rule.id, name: rule.name, kind: rule.kind },
        model: model?.name ?? null,
      },
    },
  });
  await recordAudit(ctx, {
    project: ctx.project,
    action: resolved ? "alert.resolve" : "alert.open",
    target: { type: "alert", id: alert.id },
    after: { rule: rule.name, kind: rule.kind, subject: alert.subject, title: alert.title, status: alert.status, ...(byHand && { byHand: true }) },
  });
}

/**
 * Opens an alert for each subject that holds and has none open (the partial unique index
 * `alerts_open_subject` decides, so two evaluations at once still open one), and bumps `lastSeenAt`
 * and the details of those already open. Only newly opened alerts are announced.
 */
async function openHolding(ctx: ProjectContext, rule: AlertRule, holding: Holding[]): Promise<number> {
  if (!holding.length) return 0;
  const rows = await ctx.db
    .insert(alerts)
    .values(holding.map((h) => ({ projectId: ctx.project.id, ruleId: rule.id, modelId: rule.modelId, subject: h.subject, title: h.title, details: h.details })))
    .onConflictDoUpdate({
      target: [alerts.ruleId, alerts.subject],
      targetWhere: sql`${alerts.status} = 'open'`,
      set: { lastSeenAt: sql`now()`, details: sql`excluded.details` },
    })
    .returning({ ...getTableColumns(alerts), inserted: sql<boolean>`(xmax = 0)` });
  const opened = rows.filter((r) => r.inserted);
  for (const { inserted: _inserted, ...row } of opened) await announce(ctx, rule, row, "alert.opened");
  return opened.length;
}

/**
 * Resolves the rule's open alerts, among those whose subject starts with `scope` (all when null),
 * whose subject no longer holds, and announces each. The status condition makes a concurrent
 * resolution a no-op for the loser.
 */
async function resolveStopped(ctx: ProjectContext, rule: AlertRule, holding: Holding[], scope: string | null): Promise<number> {
  const resolved = await ctx.db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(
      and(
        eq(alerts.projectId, ctx.project.id),
        eq(alerts.ruleId, rule.id),
        eq(alerts.status, "open"),
        scope === null ? undefined : like(alerts.subject, `${escapeLike(scope)}%`),
        holding.length
          ? notInArray(
              alerts.subject,
              holding.map((h) => h.subject),
            )
          : undefined,
      ),
    )
    .returning();
  for (const row of resolved) await announce(ctx, rule, row, "alert.resolved");
  return resolved.length;
}

/**
 * Brings a rule's alerts in line with what holds now (the caller's transaction): opens the new,
 * bumps the ongoing, resolves the stopped within `scope`. A rule switched off holds for nothing.
 */
export async function settleRule(ctx: ProjectContext, rule: AlertRule, holding: Holding[], scope: string | null = null) {
  const now = rule.enabled ? holding : [];
  const opened = await openHolding(ctx, rule, now);
  const resolved = await resolveStopped(ctx, rule, now, scope);
  return { opened, resolved };
}

/** Resolves one open alert of the rule by hand, and announces it. */
export async function resolveAlertById(ctx: ProjectContext, rule: AlertRule, alertId: string): Promise<void> {
  const [row] = await ctx.db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(and(eq(alerts.projectId, ctx.project.id), eq(alerts.id, alertId), eq(alerts.status, "open")))
    .returning();
  if (row) await announce(ctx, rule, row, "alert.resolved", true);
}
