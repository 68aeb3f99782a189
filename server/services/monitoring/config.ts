import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext, type ServiceContext } from "../../context";
import { modelMonitoring, MONITORING_TASKS, PRODUCTION_METRICS, type MonitoringTask, type ProductionMetric } from "../../db/schema";
import { parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { modelByName, modelNameField } from "../registry/shared";
import { keyField } from "../tracking/limits";

export type MonitoringConfig = { task: MonitoringTask; metric: ProductionMetric; validationMetric: string | null; retentionDays: number };

const DEFAULTS: MonitoringConfig = { task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 };

/** Which production metrics fit a task: a classifier is scored by accuracy, a regressor by its error. */
export const METRICS_OF_TASK: Record<MonitoringTask, readonly ProductionMetric[]> = { classification: ["accuracy"], regression: ["mae", "rmse"] };

const monitoringConfigInput = z
  .object({
    task: z.enum(MONITORING_TASKS),
    metric: z.enum(PRODUCTION_METRICS),
    // Blank means "let Cairn pick the run's validation metric by name".
    validationMetric: z
      .string()
      .trim()
      .nullish()
      .transform((v) => v || null)
      .pipe(keyField("Validation metric").nullable()),
    retentionDays: z
      .number()
      .int("Retention must be a whole number of days")
      .min(1, "Keep raw records at least 1 day")
      .max(3650, "Keep raw records at most 3650 days"),
  })
  .refine((c) => METRICS_OF_TASK[c.task].includes(c.metric), {
    path: ["metric"],
    message: "A classification model is scored by accuracy; a regression model by mae or rmse",
  });

const columns = {
  task: modelMonitoring.task,
  metric: modelMonitoring.metric,
  validationMetric: modelMonitoring.validationMetric,
  retentionDays: modelMonitoring.retentionDays,
};

/** How a model is watched in production; the defaults while nobody has configured it. */
export async function monitoringConfig(ctx: ServiceContext, modelId: string): Promise<MonitoringConfig> {
  const [row] = await ctx.db.select(columns).from(modelMonitoring).where(eq(modelMonitoring.modelId, modelId));
  return row ?? { ...DEFAULTS };
}

/** Sets how a model is watched (validated, audited with the settings before and after, in one transaction). */
export async function saveMonitoringConfig(ctx: ProjectContext, modelName: string, input: unknown): Promise<MonitoringConfig> {
  const config = parseInput(monitoringConfigInput, input);
  const model = await modelByName(ctx, modelName);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select(columns)
      .from(modelMonitoring)
      .where(and(eq(modelMonitoring.modelId, model.id), eq(modelMonitoring.projectId, ctx.project.id)))
      .for("update");
    const updatedBy = ctx.actor.kind === "user" ? ctx.actor.user.id : null;
    const [saved] = await tx.db
      .insert(modelMonitoring)
      .values({ modelId: model.id, projectId: ctx.project.id, ...config, updatedBy })
      .onConflictDoUpdate({ target: modelMonitoring.modelId, set: { ...config, updatedBy, updatedAt: sql`now()` } })
      .returning(columns);
    await recordAudit(tx, {
      project: ctx.project,
      action: "model.configure_monitoring",
      target: { type: "registered_model", id: model.id },
      before: { name: model.name, ...(before ?? DEFAULTS) },
      after: { name: model.name, ...saved! },
    });
    return saved!;
  });
}

export const saveMonitoringConfigInput = z.object({ name: modelNameField, config: monitoringConfigInput });
