import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { afterCommit, inTransaction, type ProjectContext } from "../../context";
import { alertRules, registeredModels, type AlertKind } from "../../db/schema";
import { invalid, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { uuidField } from "../fields";
import { modelByName, modelNameField } from "../registry/shared";
import { experimentById } from "../tracking/experiments";
import { queueEvaluation } from "./queue";
import { forgetTrainingRules } from "./subscriptions";
import { isMonitoringKind, ruleConfigInput, type RuleConfig } from "./rule-config";

const ruleNameField = z.string().trim().min(1, "Enter a name for the rule").max(200, "Name must be at most 200 characters");

export const createAlertRuleInput = z.object({
  name: ruleNameField,
  modelName: modelNameField.nullish(),
  enabled: z.boolean().default(true),
  config: ruleConfigInput,
});

export const updateAlertRuleInput = z.object({
  ruleId: uuidField,
  name: ruleNameField.optional(),
  modelName: modelNameField.nullish(),
  enabled: z.boolean().optional(),
  config: ruleConfigInput.optional(),
});

export const alertRuleIdInput = z.object({ ruleId: uuidField });

export type AlertRule = {
  id: string;
  name: string;
  kind: AlertKind;
  modelId: string | null;
  modelName: string | null;
  config: RuleConfig;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const ruleColumns = {
  id: alertRules.id,
  name: alertRules.name,
  kind: alertRules.kind,
  modelId: alertRules.modelId,
  modelName: registeredModels.name,
  config: alertRules.config,
  enabled: alertRules.enabled,
  createdAt: alertRules.createdAt,
  updatedAt: alertRules.updatedAt,
};

type RuleRow = Omit<AlertRule, "config" | "modelName"> & { modelName: string | null; config: Record<string, unknown> };

/** A stored rule with its settings read back through the kind's schema (the kind lives in its own column). */
const presentRule = (row: RuleRow): AlertRule => ({ ...row, config: ruleConfigInput.parse({ ...row.config, kind: row.kind }) });

const audited = (r: AlertRule) => ({ name: r.name, kind: r.kind, model: r.modelName, enabled: r.enabled, config: r.config });
const thisProjects = (ctx: ProjectContext, ruleId: string) => and(eq(alertRules.id, ruleId), eq(alertRules.projectId, ctx.project.id));

async function ruleById(ctx: ProjectContext, ruleId: string, lock = false): Promise<AlertRule> {
  const query = ctx.db
    .select(ruleColumns)
    .from(alertRules)
    .leftJoin(registeredModels, eq(registeredModels.id, alertRules.modelId))
    .where(thisProjects(ctx, ruleId));
  const [row] = lock ? await query.for("update", { of: alertRules }) : await query;
  if (!row) throw notFound("Alert rule not found");
  return presentRule(row);
}

/** Checks what the settings name: a model for monitoring kinds (optional for training kinds, whose watchers then hear too), an experiment that exists. */
async function resolveSubject(ctx: ProjectContext, config: RuleConfig, modelName: string | null | undefined) {
  if (isMonitoringKind(config.kind) && !modelName) throw invalid("A monitoring rule watches one model: choose it", { modelName: "Choose the model to watch" });
  const model = modelName ? await modelByName(ctx, modelName) : null;
  if ("experimentId" in config && config.experimentId !== undefined) await experimentById(ctx, config.experimentId);
  return model;
}

const storedConfig = ({ kind: _kind, ...settings }: RuleConfig): Record<string, unknown> => settings;

/** The project's rules, optionally of one model, of some kinds, or one rule, grouped by kind, then by name. */
export async function rulesOf(ctx: ProjectContext, filter: { modelId?: string; kinds?: readonly AlertKind[]; ruleId?: string } = {}): Promise<AlertRule[]> {
  const rows = await ctx.db
    .select(ruleColumns)
    .from(alertRules)
    .leftJoin(registeredModels, eq(registeredModels.id, alertRules.modelId))
    .where(
      and(
        eq(alertRules.projectId, ctx.project.id),
        filter.modelId ? eq(alertRules.modelId, filter.modelId) : undefined,
        filter.kinds ? inArray(alertRules.kind, [...filter.kinds]) : undefined,
        filter.ruleId ? eq(alertRules.id, filter.ruleId) : undefined,
      ),
    )
    .orderBy(asc(alertRules.kind), asc(alertRules.name), asc(alertRules.createdAt));
  return rows.map(presentRule);
}

/** The project's alert rules, grouped by kind, then by name. */
export function listAlertRules(ctx: ProjectContext): Promise<AlertRule[]> {
  return rulesOf(ctx);
}

/** Adds a rule (validated per kind, audited) and has it evaluated once it is stored. */
export async function createAlertRule(ctx: ProjectContext, input: z.input<typeof createAlertRuleInput>): Promise<AlertRule> {
  const data = parseInput(createAlertRuleInput, input);
  const model = await resolveSubject(ctx, data.config, data.modelName);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(alertRules)
      .values({
        projectId: ctx.project.id,
        modelId: model?.id ?? null,
        name: data.name,
        kind: data.config.kind,
        config: storedConfig(data.config),
        enabled: data.enabled,
        createdBy: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
      })
      .returning({ id: alertRules.id });
    const rule = await ruleById(tx, row!.id);
    await recordAudit(tx, { project: ctx.project, action: "alert_rule.create", target: { type: "alert_rule", id: rule.id }, after: audited(rule) });
    afterCommit(tx, () => {
      forgetTrainingRules(ctx.project.id);
      return queueEvaluation(ctx, { ruleId: rule.id });
    });
    return rule;
  });
}

/**
 * Changes a rule's name, model, settings or whether it is on (its kind stays). Its open alerts are
 * judged again under the new settings; a rule switched off resolves them.
 */
export async function updateAlertRule(ctx: ProjectContext, input: z.input<typeof updateAlertRuleInput>): Promise<AlertRule> {
  const { ruleId, ...changes } = parseInput(updateAlertRuleInput, input);
  return inTransaction(ctx, async (tx) => {
    const before = await ruleById(tx, ruleId, true);
    const config = changes.config ?? before.config;
    if (config.kind !== before.kind)
      throw invalid(`A rule's kind cannot change (this one watches ${before.kind}); add a new rule instead`, { "config.kind": "Kind cannot change" });
    const modelName = changes.modelName === undefined ? before.modelName : changes.modelName;
    const model = await resolveSubject(tx, config, modelName);
    await tx.db
      .update(alertRules)
      .set({
        name: changes.name ?? before.name,
        modelId: model?.id ?? null,
        config: storedConfig(config),
        enabled: changes.enabled ?? before.enabled,
        updatedAt: new Date(),
      })
      .where(thisProjects(ctx, ruleId));
    const after = await ruleById(tx, ruleId);
    await recordAudit(tx, {
      project: ctx.project,
      action: "alert_rule.update",
      target: { type: "alert_rule", id: ruleId },
      before: audited(before),
      after: audited(after),
    });
    afterCommit(tx, () => {
      forgetTrainingRules(ctx.project.id);
      return queueEvaluation(ctx, { ruleId });
    });
    return after;
  });
}

/** Removes a rule with its alerts, open and resolved (audited). */
export async function deleteAlertRule(ctx: ProjectContext, input: z.input<typeof alertRuleIdInput>): Promise<void> {
  const { ruleId } = parseInput(alertRuleIdInput, input);
  await inTransaction(ctx, async (tx) => {
    const before = await ruleById(tx, ruleId, true);
    await tx.db.delete(alertRules).where(thisProjects(ctx, ruleId));
    await recordAudit(tx, { project: ctx.project, action: "alert_rule.delete", target: { type: "alert_rule", id: ruleId }, before: audited(before) });
  });
}
