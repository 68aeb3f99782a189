import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { AlertKind } from "@/server/db/schema";

type Outputs = inferRouterOutputs<AppRouter>;
export type AlertRow = Outputs["alert"]["list"]["alerts"][number];
export type AlertRuleRow = Outputs["alert"]["rules"][number];
export type { AlertKind };

/** How each kind is named; a new kind fails the type check until it has a line. */
export const KIND_LABELS: Record<AlertKind, { label: string; hint: string; monitoring: boolean }> = {
  drift: { label: "Drift", hint: "A feature or the prediction drifts from the reference for K hours in a row", monitoring: true },
  decay: { label: "Decay", hint: "The production metric is worse than validation by a margin for K labelled hours", monitoring: true },
  no_traffic: { label: "No traffic", hint: "A target receives no inference records for N hours", monitoring: true },
  run_failed: { label: "Run failed", hint: "A training run ends as FAILED", monitoring: false },
  metric_threshold: { label: "Metric threshold", hint: "A run's latest value of a metric crosses a threshold", monitoring: false },
};

const SIGNS = { lt: "<", lte: "≤", gt: ">", gte: "≥" } as const;
const targetText = (target: string) => (target ? `@${target}` : "versions addressed directly");

/** A rule's settings in one line, as the rules list shows them. */
export function ruleSummary(rule: AlertRuleRow): string {
  const c = rule.config;
  switch (c.kind) {
    case "drift":
      return `${c.statistic.toUpperCase()} > ${c.threshold}${c.column ? ` on ${c.column}` : " on any column"} at ${targetText(c.target)} for ${c.windows} window(s)`;
    case "decay":
      return `Production metric worse than validation by more than ${c.margin} at ${targetText(c.target)} for ${c.windows} window(s)`;
    case "no_traffic":
      return `No records at ${targetText(c.target)} for ${c.hours} hour(s)`;
    case "run_failed":
      return c.experimentId ? `A run of experiment ${c.experimentId} fails` : "Any run fails";
    case "metric_threshold":
      return `${c.metric} ${SIGNS[c.comparison]} ${c.value}${c.experimentId ? ` in experiment ${c.experimentId}` : ""}`;
  }
}
