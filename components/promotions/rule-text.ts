import { gateText } from "./gate-text";
import type { Gate } from "./types";

const ROLE_NAMES: Record<string, string> = { owner: "owners", maintainer: "maintainers", contributor: "contributors", viewer: "viewers" };
const roleName = (role: string) => ROLE_NAMES[role] ?? role;

/** Who may approve under a rule, in words: "maintainers, Ada Lovelace", or "nobody". */
export function approversText(roles: string[], userIds: string[], nameOf: (id: string) => string): string {
  return [...roles.map(roleName), ...userIds.map(nameOf)].join(", ") || "nobody";
}

/** A rule as one revision recorded it. */
export type RuleSnapshot = {
  requiredApprovals?: number;
  approverRoles?: string[];
  approverUserIds?: string[];
  allowSelfApproval?: boolean;
  allowEmergencyRollback?: boolean;
  gates?: Gate[];
};

/** What changed between two revisions of a rule, in words. */
export function ruleChanges(before: RuleSnapshot | null, after: RuleSnapshot, nameOf: (id: string) => string): string[] {
  if (!before) {
    const who = approversText(after.approverRoles ?? [], after.approverUserIds ?? [], nameOf);
    return [
      `Protected the target: ${after.requiredApprovals ?? 1} approval${after.requiredApprovals === 1 ? "" : "s"} from ${who}`,
      ...(after.allowSelfApproval ? ["Self-approval allowed"] : []),
      ...(after.allowEmergencyRollback ? ["Emergency rollback allowed"] : []),
      ...(after.gates ?? []).map((g) => `Gate ${gateText(g)}`),
    ];
  }
  const out: string[] = [];
  if (before.requiredApprovals !== after.requiredApprovals) out.push(`Approvals required: ${before.requiredApprovals} → ${after.requiredApprovals}`);
  const list = (v?: string[]) => (v ?? []).slice().sort().join(",");
  if (list(before.approverRoles) !== list(after.approverRoles)) out.push(`Approver roles: ${(after.approverRoles ?? []).map(roleName).join(", ") || "none"}`);
  if (list(before.approverUserIds) !== list(after.approverUserIds))
    out.push(`Named approvers: ${(after.approverUserIds ?? []).map(nameOf).join(", ") || "none"}`);
  if (before.allowSelfApproval !== after.allowSelfApproval) out.push(`Self-approval ${after.allowSelfApproval ? "allowed" : "no longer allowed"}`);
  if (before.allowEmergencyRollback !== after.allowEmergencyRollback)
    out.push(`Emergency rollback ${after.allowEmergencyRollback ? "allowed" : "no longer allowed"}`);
  const gates = (v?: Gate[]) => (v ?? []).map(gateText);
  const was = gates(before.gates);
  const now = gates(after.gates);
  for (const g of now) if (!was.includes(g)) out.push(`Added gate ${g}`);
  for (const g of was) if (!now.includes(g)) out.push(`Removed gate ${g}`);
  return out.length ? out : ["Saved without changes"];
}
