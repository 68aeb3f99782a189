import { z } from "zod";
import type { AlertKind } from "../../db/schema";
import { keyField } from "../tracking/limits";

/** Hours an evaluation looks back over a target's windows: a week, so K is at most 168. */
export const LOOKBACK_HOURS = 168;

// An alias, or "" for records that addressed a version directly.
const target = z.string().trim().max(256, "Target must be at most 256 characters");
const windows = z
  .number()
  .int("Windows must be a whole number")
  .min(1, "Windows must be at least 1")
  .max(LOOKBACK_HOURS, `Windows must be at most ${LOOKBACK_HOURS} (a week of hours)`);
const experimentId = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, "Experiment id is a number such as 0 or 12")
  .optional();
const finite = (what: string) => z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be a finite number`);

const COMPARISONS = ["lt", "lte", "gt", "gte"] as const;
export type Comparison = (typeof COMPARISONS)[number];
const DRIFT_STATISTICS = ["psi", "ks", "js"] as const;

/** Each kind's settings; the kind is the discriminator, so a setting of another kind is refused. */
export const ruleConfigInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("drift"),
      target,
      statistic: z.enum(DRIFT_STATISTICS, { error: "Statistic must be psi, ks or js" }),
      threshold: finite("Threshold").refine((v) => v > 0, "Threshold must be above 0"),
      windows,
      column: z.string().trim().min(1).max(256).optional(),
    }),
    z.strictObject({ kind: z.literal("decay"), target, margin: finite("Margin").refine((v) => v >= 0, "Margin must be 0 or more"), windows }),
    z.strictObject({
      kind: z.literal("no_traffic"),
      target,
      hours: z.number().int("Hours must be a whole number").min(1, "Hours must be at least 1").max(720, "Hours must be at most 720"),
    }),
    z.strictObject({ kind: z.literal("run_failed"), experimentId }),
    z.strictObject({
      kind: z.literal("metric_threshold"),
      metric: keyField("Metric"),
      comparison: z.enum(COMPARISONS, { error: "Comparison must be lt, lte, gt or gte" }),
      value: finite("Value"),
      experimentId,
    }),
  ],
  { error: "Kind must be one of drift, decay, no_traffic, run_failed, metric_threshold" },
);
export type RuleConfig = z.output<typeof ruleConfigInput>;
export type ConfigOf<K extends AlertKind> = Extract<RuleConfig, { kind: K }>;

/** Kinds that watch a model in production; the others watch training runs. */
export const MONITORING_KINDS: readonly AlertKind[] = ["drift", "decay", "no_traffic"];
export const isMonitoringKind = (kind: AlertKind) => MONITORING_KINDS.includes(kind);

/** Whether `value` crosses `than` by the comparison. */
export function compares(comparison: Comparison, value: number, than: number): boolean {
  switch (comparison) {
    case "lt":
      return value < than;
    case "lte":
      return value <= than;
    case "gt":
      return value > than;
    case "gte":
      return value >= than;
  }
}
