import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { ALERT_KINDS, alertRules, alerts, type AlertKind } from "../../db/schema";
import { parseInput } from "../../errors";
import { modelByName, modelNameField } from "../registry/shared";

export type AlertView = {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  modelId: string | null;
  subject: string;
  status: "open" | "resolved";
  title: string;
  details: Record<string, unknown>;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
};

type AlertFilter = {
  modelId?: string;
  status?: "open" | "resolved";
  ruleId?: string;
  kind?: AlertKind;
  limit?: number;
  offset?: number;
};

const ALERT_COLUMNS = {
  id: alerts.id,
  ruleId: alerts.ruleId,
  ruleName: alertRules.name,
  kind: alertRules.kind,
  modelId: alerts.modelId,
  subject: alerts.subject,
  status: alerts.status,
  title: alerts.title,
  details: alerts.details,
  openedAt: alerts.openedAt,
  lastSeenAt: alerts.lastSeenAt,
  resolvedAt: alerts.resolvedAt,
};

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** The project's alerts, newest opened first, optionally for one model, rule, kind or status. */
export async function listAlerts(ctx: ProjectContext, filter: AlertFilter): Promise<AlertView[]> {
  const limit = Math.min(Math.max(1, filter.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const conditions: (SQL | undefined)[] = [
    eq(alerts.projectId, ctx.project.id),
    filter.modelId ? eq(alerts.modelId, filter.modelId) : undefined,
    filter.status ? eq(alerts.status, filter.status) : undefined,
    filter.ruleId ? eq(alerts.ruleId, filter.ruleId) : undefined,
    filter.kind ? eq(alertRules.kind, filter.kind) : undefined,
  ];
  return ctx.db
    .select(ALERT_COLUMNS)
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(and(...conditions))
    .orderBy(desc(alerts.openedAt), desc(alerts.id))
    .limit(limit)
    .offset(Math.max(0, filter.offset ?? 0));
}

export const alertsPageInput = z.object({
  status: z.enum(["open", "resolved"]).optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  modelName: modelNameField.optional(),
  limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT),
  offset: z.number().int().min(0).max(100_000).default(0),
});

/** A page of the project's alerts for the Alerts page, filtered by status, kind and model; `more` when another page follows. */
export async function alertsPage(ctx: ProjectContext, input: z.input<typeof alertsPageInput>): Promise<{ alerts: AlertView[]; more: boolean }> {
  const { modelName, limit, ...filter } = parseInput(alertsPageInput, input);
  const modelId = modelName ? (await modelByName(ctx, modelName)).id : undefined;
  const rows = await listAlerts(ctx, { ...filter, modelId, limit: limit + 1 });
  return { alerts: rows.slice(0, limit), more: rows.length > limit };
}
