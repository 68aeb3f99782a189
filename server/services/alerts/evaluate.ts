import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { systemActor } from "../../access/actor";
import { createServiceContext, inTransaction, type ProjectContext } from "../../context";
import { alertRules, alerts, projects } from "../../db/schema";
import { settleRule, type Holding } from "./lifecycle";
import { decayHolding, driftHolding, noTrafficHolding } from "./monitoring-conditions";
import type { EvaluationJob } from "./queue";
import { MONITORING_KINDS, type RuleConfig } from "./rule-config";
import { rulesOf, type AlertRule } from "./rules";
import { metricThresholdHolding, runFailedHolding, runSubject, watchedRun } from "./training-conditions";

const TRAINING_KINDS = ["run_failed", "metric_threshold"] as const;

const ALERTS_ACTOR = systemActor("alerts");

/** Cairn itself, evaluating inside a project: whoever's change led here, alerts are opened and resolved by Cairn. */
const asCairn = (ctx: ProjectContext): ProjectContext => ({ ...ctx, actor: ALERTS_ACTOR, memo: new Map() });

async function systemProjectContext(projectId: string): Promise<ProjectContext | null> {
  const ctx = createServiceContext(ALERTS_ACTOR);
  const [project] = await ctx.db.select().from(projects).where(eq(projects.id, projectId));
  return project ? { ...ctx, project, role: "owner" } : null;
}

/** What a monitoring rule holds for now (nothing for a rule whose model was removed). */
async function monitoringHolding(ctx: ProjectContext, rule: AlertRule, now: number): Promise<Holding[]> {
  if (!rule.modelId || !rule.modelName || !rule.enabled) return [];
  const model = { id: rule.modelId, name: rule.modelName };
  const config: RuleConfig = rule.config;
  switch (config.kind) {
    case "drift":
      return driftHolding(ctx, model, config, now);
    case "decay":
      return decayHolding(ctx, model, config, now);
    case "no_traffic":
      return noTrafficHolding(ctx, model, config, rule.createdAt, now);
    default:
      return [];
  }
}

/** Settles each monitoring rule of a model, each in a transaction of its own (so one slow rule holds no other's alerts). */
async function evaluateMonitoringRules(ctx: ProjectContext, rules: AlertRule[]) {
  const now = Date.now();
  let opened = 0;
  let resolved = 0;
  for (const rule of rules) {
    const holding = await monitoringHolding(ctx, rule, now);
    const result = await inTransaction(ctx, (tx) => settleRule(tx, rule, holding));
    opened += result.opened;
    resolved += result.resolved;
  }
  return { opened, resolved };
}

/** Evaluates a model's drift, decay and no-traffic rules against its telemetry as it stands. */
export async function evaluateModelAlerts(caller: ProjectContext, modelId: string) {
  const ctx = asCairn(caller);
  return evaluateMonitoringRules(ctx, await rulesOf(ctx, { modelId, kinds: MONITORING_KINDS }));
}

/** Evaluates the training rules for one run: whether it failed, and the latest values of the metrics rules watch. */
export async function evaluateRunAlerts(caller: ProjectContext, runUuid: string) {
  const ctx = asCairn(caller);
  const rules = await rulesOf(ctx, { kinds: TRAINING_KINDS });
  if (!rules.length) return { opened: 0, resolved: 0 };
  const run = await watchedRun(ctx, runUuid);
  let opened = 0;
  let resolved = 0;
  for (const rule of rules) {
    const config: RuleConfig = rule.config;
    const holding = !run
      ? []
      : config.kind === "run_failed"
        ? runFailedHolding(run, config)
        : config.kind === "metric_threshold"
          ? await metricThresholdHolding(ctx, run, config)
          : [];
    const result = await inTransaction(ctx, (tx) => settleRule(tx, rule, holding, runSubject(runUuid)));
    opened += result.opened;
    resolved += result.resolved;
  }
  return { opened, resolved };
}

/** The runs a training rule has open alerts for (their subjects start with run:<uuid>). */
async function runsWithOpenAlerts(ctx: ProjectContext, ruleIds: string[]): Promise<string[]> {
  if (!ruleIds.length) return [];
  const rows = await ctx.db
    .selectDistinct({ runUuid: sql<string>`split_part(substring(${alerts.subject} from 5), '/', 1)` })
    .from(alerts)
    .where(and(eq(alerts.projectId, ctx.project.id), eq(alerts.status, "open"), inArray(alerts.ruleId, ruleIds)));
  return rows.map((r) => r.runUuid);
}

/** Evaluates one rule just saved: a monitoring rule against its model's telemetry, a training rule against the runs it has alerts open for. */
async function evaluateOneRule(ctx: ProjectContext, ruleId: string) {
  const [rule] = await rulesOf(ctx, { ruleId });
  if (!rule) return { opened: 0, resolved: 0 };
  if (MONITORING_KINDS.includes(rule.kind)) return evaluateMonitoringRules(ctx, [rule]);
  let opened = 0;
  let resolved = 0;
  for (const runUuid of await runsWithOpenAlerts(ctx, [rule.id])) {
    const result = await evaluateRunAlerts(ctx, runUuid);
    opened += result.opened;
    resolved += result.resolved;
  }
  return { opened, resolved };
}

/** Runs one queued evaluation (see `queueEvaluation`); a project deleted since is skipped. */
export async function runEvaluationJob(job: EvaluationJob) {
  const ctx = await systemProjectContext(job.projectId);
  if (!ctx) return { opened: 0, resolved: 0 };
  if ("modelId" in job) return evaluateModelAlerts(ctx, job.modelId);
  if ("runUuid" in job) return evaluateRunAlerts(ctx, job.runUuid);
  return evaluateOneRule(ctx, job.ruleId);
}

/**
 * The periodic pass: every model with monitoring rules is evaluated (no traffic is noticed only by
 * the passing of time, and drift ages out of the look-back), and every run with an open training
 * alert is looked at again (it may have been deleted or restarted).
 */
export async function sweepAlerts() {
  const db = createServiceContext(systemActor("alerts")).db;
  const monitored = await db
    .selectDistinct({ projectId: alertRules.projectId, modelId: alertRules.modelId })
    .from(alertRules)
    .where(and(inArray(alertRules.kind, [...MONITORING_KINDS]), isNotNull(alertRules.modelId)));
  const training = await db
    .selectDistinct({ projectId: alerts.projectId })
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(and(eq(alerts.status, "open"), inArray(alertRules.kind, [...TRAINING_KINDS])));
  let opened = 0;
  let resolved = 0;
  const add = (r: { opened: number; resolved: number }) => {
    opened += r.opened;
    resolved += r.resolved;
  };
  for (const { projectId, modelId } of monitored) {
    const ctx = await systemProjectContext(projectId);
    if (ctx && modelId) add(await evaluateModelAlerts(ctx, modelId));
  }
  for (const { projectId } of training) {
    const ctx = await systemProjectContext(projectId);
    if (!ctx) continue;
    const rules = await rulesOf(ctx, { kinds: TRAINING_KINDS });
    for (const runUuid of await runsWithOpenAlerts(
      ctx,
      rules.map((r) => r.id),
    ))
      add(await evaluateRunAlerts(ctx, runUuid));
  }
  return { opened, resolved };
}
