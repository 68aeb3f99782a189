import type { Path } from "react-hook-form";
import type { Role } from "@/server/access/permissions";
import type { ModelCardField } from "@/server/db/schema";
import type { Gate, RuleRow } from "./types";

export type GateType = Gate["type"];

/** A gate as the form edits it: every field of every kind, as text, so switching kinds loses nothing typed. */
export type GateValues = {
  type: GateType;
  metric: string;
  comparison: string;
  value: string;
  passWithoutHolder: boolean;
  tag: string;
  tagValue: string;
  on: "version" | "run";
  /** Card sections a complete card needs; none ticked: all of them. */
  cardFields: ModelCardField[];
  margin: string;
  passWithoutEvidence: boolean;
};

export type RuleFormValues = {
  targetKind: "stage" | "alias" | "tag";
  stage: string;
  targetName: string;
  modelName: string;
  requiredApprovals: string;
  approverRoles: Role[];
  approverUserIds: string[];
  allowSelfApproval: boolean;
  allowEmergencyRollback: boolean;
  gates: GateValues[];
};

export type Member = { userId: string; name: string; email: string; role: Role };

export const blankGate = (type: GateType): GateValues => ({
  type,
  metric: "",
  comparison: type === "metric_vs_holder" ? "lt" : "gte",
  value: "",
  passWithoutHolder: true,
  tag: "",
  tagValue: "",
  on: "version",
  cardFields: [],
  margin: "0",
  passWithoutEvidence: true,
});

/** The form for a rule; approvers who can no longer review (a role or person saved before) are left out, as they never count. */
export function toForm(row: RuleRow | null, reviewerRoles: Role[], reviewers: Member[]): RuleFormValues {
  if (!row) {
    return {
      targetKind: "alias",
      stage: "Production",
      targetName: "champion",
      modelName: "",
      requiredApprovals: "1",
      approverRoles: [...reviewerRoles],
      approverUserIds: [],
      allowSelfApproval: false,
      allowEmergencyRollback: false,
      gates: [],
    };
  }
  const r = row.rule;
  return {
    targetKind: r.targetKind,
    stage: r.targetKind === "stage" ? r.targetName : "Production",
    targetName: r.targetKind === "stage" ? "" : r.targetName,
    modelName: row.modelName ?? "",
    requiredApprovals: String(r.requiredApprovals),
    approverRoles: r.approverRoles.filter((role) => reviewerRoles.includes(role)),
    approverUserIds: r.approverUserIds.filter((id) => reviewers.some((m) => m.userId === id)),
    allowSelfApproval: r.allowSelfApproval,
    allowEmergencyRollback: r.allowEmergencyRollback,
    gates: r.gates.map((g) => ({
      ...blankGate(g.type),
      ...(g.type === "metric_vs_holder" ? { metric: g.metric, comparison: g.comparison, passWithoutHolder: g.passWithoutHolder } : {}),
      ...(g.type === "metric_threshold" ? { metric: g.metric, comparison: g.comparison, value: String(g.value) } : {}),
      ...(g.type === "tag_equals" ? { tag: g.tag, tagValue: g.value, on: g.on } : {}),
      ...(g.type === "card_complete" ? { cardFields: g.fields } : {}),
      ...(g.type === "beats_production" ? { metric: g.metric, margin: String(g.margin), passWithoutEvidence: g.passWithoutEvidence } : {}),
    })),
  };
}

function toGate(g: GateValues): Gate {
  switch (g.type) {
    case "metric_vs_holder":
      return { type: g.type, metric: g.metric.trim(), comparison: g.comparison as "lt", passWithoutHolder: g.passWithoutHolder };
    case "metric_threshold":
      return { type: g.type, metric: g.metric.trim(), comparison: g.comparison as "lt", value: g.value.trim() === "" ? Number.NaN : Number(g.value) };
    case "tag_equals":
      return { type: g.type, tag: g.tag.trim(), value: g.tagValue, on: g.on };
    case "run_status":
      return { type: g.type, status: "FINISHED" };
    case "card_complete":
      return { type: g.type, fields: asArray(g.cardFields) };
    case "beats_production":
      return {
        type: g.type,
        metric: g.metric.trim(),
        margin: g.margin.trim() === "" ? Number.NaN : Number(g.margin),
        passWithoutEvidence: g.passWithoutEvidence,
      };
  }
}

/** A checkbox group's value: react-hook-form gives a lone checkbox's value unwrapped (or false). */
const asArray = <T>(value: T[] | T | false | undefined): T[] => (Array.isArray(value) ? value : value ? [value] : []);

/** The rule the form describes, as `promotion.saveRule` takes it (the server validates it all). */
export function toSaveInput(projectSlug: string, values: RuleFormValues) {
  const target = { kind: values.targetKind, name: values.targetKind === "stage" ? values.stage : values.targetName.trim() };
  return {
    projectSlug,
    target,
    modelName: values.modelName || null,
    requiredApprovals: Number(values.requiredApprovals),
    approverRoles: asArray(values.approverRoles),
    approverUserIds: asArray(values.approverUserIds),
    allowSelfApproval: values.allowSelfApproval,
    allowEmergencyRollback: values.allowEmergencyRollback,
    gates: values.gates.map(toGate),
  };
}

/** The form field under which a server error on `path` belongs ("target.name", "gates.2.value"…), or null to show it above the form. */
export function formFieldOf(values: RuleFormValues, path: string): Path<RuleFormValues> | null {
  if (path === "target.name") return values.targetKind === "stage" ? "stage" : "targetName";
  if (path === "target.kind") return "targetKind";
  if (["modelName", "requiredApprovals", "approverRoles", "approverUserIds"].includes(path)) return path as Path<RuleFormValues>;
  const gate = /^gates\.(\d+)\.(\w+)$/.exec(path);
  if (gate) {
    const field = gate[2] === "value" && values.gates[Number(gate[1])]?.type === "tag_equals" ? "tagValue" : gate[2];
    if (field === "fields") return `gates.${Number(gate[1])}.cardFields` as Path<RuleFormValues>;
    if (["metric", "comparison", "value", "tag", "tagValue", "on", "margin"].includes(field!))
      return `gates.${Number(gate[1])}.${field}` as Path<RuleFormValues>;
  }
  return null;
}
