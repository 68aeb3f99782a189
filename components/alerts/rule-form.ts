import type { AlertKind, AlertRuleRow } from "./types";

/** The rule form's fields, all as typed text, whichever kind is chosen. */
export type RuleValues = {
  name: string;
  kind: AlertKind;
  modelName: string;
  target: string;
  statistic: "psi" | "ks" | "js";
  threshold: string;
  windows: string;
  column: string;
  margin: string;
  hours: string;
  experimentId: string;
  metric: string;
  comparison: "lt" | "lte" | "gt" | "gte";
  value: string;
};

/** The form's starting values: the rule's own, or sensible ones for a new rule. */
export function initialValues(rule?: AlertRuleRow): RuleValues {
  const c = (rule?.config ?? {}) as Partial<Record<string, unknown>>;
  const text = (v: unknown, fallback: string) => (v === undefined || v === null ? fallback : String(v));
  return {
    name: rule?.name ?? "",
    kind: rule?.kind ?? "drift",
    modelName: rule?.modelName ?? "",
    target: text(c.target, "champion"),
    statistic: (c.statistic as RuleValues["statistic"]) ?? "psi",
    threshold: text(c.threshold, "0.2"),
    windows: text(c.windows, "3"),
    column: text(c.column, ""),
    margin: text(c.margin, "0.05"),
    hours: text(c.hours, "6"),
    experimentId: text(c.experimentId, ""),
    metric: text(c.metric, ""),
    comparison: (c.comparison as RuleValues["comparison"]) ?? "gt",
    value: text(c.value, ""),
  };
}

// Blank numbers go to the server as NaN, which it names as the field's mistake.
const number = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
const optional = (v: string) => v.trim() || undefined;

/** The settings of the chosen kind, as the server's schema takes them; other kinds' fields are left out. */
export function configOf(v: RuleValues) {
  switch (v.kind) {
    case "drift":
      return {
        kind: v.kind,
        target: v.target.trim(),
        statistic: v.statistic,
        threshold: number(v.threshold),
        windows: number(v.windows),
        column: optional(v.column),
      };
    case "decay":
      return { kind: v.kind, target: v.target.trim(), margin: number(v.margin), windows: number(v.windows) };
    case "no_traffic":
      return { kind: v.kind, target: v.target.trim(), hours: number(v.hours) };
    case "run_failed":
      return { kind: v.kind, experimentId: optional(v.experimentId) };
    case "metric_threshold":
      return { kind: v.kind, metric: v.metric.trim(), comparison: v.comparison, value: number(v.value), experimentId: optional(v.experimentId) };
  }
}
