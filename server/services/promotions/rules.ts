import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import { REVIEWER_ROLES } from "../../access/promotions";
import { ROLES, roleAllows } from "../../access/permissions";
import { inTransaction, type ProjectContext } from "../../context";
import { MODEL_CARD_FIELDS, projectMembers, promotionRuleRevisions, promotionRules, registeredModels, users, type Gate } from "../../db/schema";
import { conflict, invalid, isUniqueViolation, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { keyField } from "../tracking/limits";
import { modelByName } from "../registry/shared";
import { recheckRuleRequests } from "./recheck-requests";
import { describeTarget, targetField, type Target } from "./targets";

const comparison = z.enum(["lt", "lte", "gt", "gte"]);

const gateField: z.ZodType<Gate> = z.discriminatedUnion("type", [
  z.object({ type: z.literal("metric_vs_holder"), metric: keyField("Metric"), comparison, passWithoutHolder: z.boolean().default(true) }),
  z.object({
    type: z.literal("metric_threshold"),
    metric: keyField("Metric"),
    comparison: z.enum(["lt", "lte", "gt", "gte", "eq"]),
    value: z.number().finite("The threshold must be a finite number"),
  }),
  z.object({ type: z.literal("tag_equals"), tag: keyField("Tag"), value: z.string().max(8000), on: z.enum(["version", "run"]).default("version") }),
  z.object({ type: z.literal("run_status"), status: z.literal("FINISHED") }),
  z.object({ type: z.literal("card_complete"), fields: z.array(z.enum(MODEL_CARD_FIELDS)).max(MODEL_CARD_FIELDS.length).default([]) }),
  z.object({
    type: z.literal("beats_production"),
    metric: keyField("Metric"),
    margin: z.number().finite("The margin must be a finite number").min(0, "The margin cannot be negative").default(0),
    passWithoutEvidence: z.boolean().default(true),
  }),
]) as z.ZodType<Gate>;

export type Rule = typeof promotionRules.$inferSelect;

export const ruleInput = z.object({
  target: targetField,
  /** Narrow the rule to one registered model; without it the rule covers every model of the project. */
  modelName: z.string().trim().min(1).max(256).nullable().default(null),
  requiredApprovals: z.number().int().min(1, "At least one approval is required").max(10, "At most 10 approvals").default(1),
  /** Narrows who reviews to some of the roles holding `promotion.review` (by default, all of them). */
  approverRoles: z
    .array(z.enum(ROLES))
    .max(4)
    .refine((roles) => roles.every((role) => REVIEWER_ROLES.includes(role)), `Only roles that may review promotions can approve: ${REVIEWER_ROLES.join(", ")}`)
    .default([...REVIEWER_ROLES]),
  /** Or to named members, who must hold `promotion.review` themselves (checked on save, and again at each decision). */
  approverUserIds: z.array(z.uuid()).max(50).default([]),
  allowSelfApproval: z.boolean().default(false),
  allowEmergencyRollback: z.boolean().default(false),
  gates: z.array(gateField).max(20, "At most 20 gates").default([]),
});

function snapshotOf(rule: Rule) {
  const { projectId: _p, updatedBy: _u, createdAt: _c, updatedAt: _t, ...rest } = rule;
  return rest;
}

/** Protects a target, or changes how it is protected; every change is a new revision. */
export async function saveRule({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof ruleInput> }) {
  const data = parseInput(ruleInput, input);
  const actor = requireUser(ctx);
  const model = data.modelName ? await modelByName(ctx, data.modelName) : null;
  if (!data.approverRoles.length && !data.approverUserIds.length)
    throw conflict("Name at least one approver role or person", { approverRoles: "Nobody could approve" });
  return inTransaction(ctx, async (tx) => {
    await assertNamedApproversMayReview(tx, data.approverUserIds);
    const [existing] = await tx.db
      .select()
      .from(promotionRules)
      .where(
        and(
          eq(promotionRules.projectId, ctx.project.id),
          eq(promotionRules.targetKind, data.target.kind),
          eq(promotionRules.targetName, data.target.name),
          model ? eq(promotionRules.modelId, model.id) : isNull(promotionRules.modelId),
        ),
      )
      .for("update");
    const values = {
      requiredApprovals: data.requiredApprovals,
      approverRoles: data.approverRoles,
      approverUserIds: data.approverUserIds,
      allowSelfApproval: data.allowSelfApproval,
      allowEmergencyRollback: data.allowEmergencyRollback,
      gates: data.gates,
      updatedBy: actor.user.id,
      updatedAt: new Date(),
    };
    let rule: Rule;
    try {
      [rule] = existing
        ? ((await tx.db
            .update(promotionRules)
            .set({ ...values, revision: existing.revision + 1 })
            .where(and(eq(promotionRules.projectId, ctx.project.id), eq(promotionRules.id, existing.id)))
            .returning()) as [Rule])
        : ((await tx.db
            .insert(promotionRules)
            .values({ ...values, projectId: ctx.project.id, targetKind: data.target.kind, targetName: data.target.name, modelId: model?.id ?? null })
            .returning()) as [Rule]);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`${describeTarget(data.target)} is already protected`);
      throw error;
    }
    await tx.db.insert(promotionRuleRevisions).values({ ruleId: rule.id, revision: rule.revision, snapshot: snapshotOf(rule), changedBy: actor.user.id });
    // Open requests under the rule are judged by its gates of today, so their pages never show a verdict of the old ones.
    if (existing) await recheckRuleRequests(tx, rule.id, rule);
    await recordAudit(tx, {
      project: ctx.project,
      action: existing ? "promotion_rule.update" : "promotion_rule.create",
      target: { type: "promotion_rule", id: rule.id },
      before: existing ? snapshotOf(existing) : null,
      after: snapshotOf(rule),
    });
    return rule;
  });
}

/** Named approvers must be members of the project whose role holds `promotion.review`. */
async function assertNamedApproversMayReview(ctx: ProjectContext, userIds: string[]) {
  if (!userIds.length) return;
  const members = await ctx.db
    .select({ userId: projectMembers.userId, role: projectMembers.role, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, ctx.project.id), inArray(projectMembers.userId, userIds)));
  const byId = new Map(members.map((m) => [m.userId, m]));
  for (const userId of new Set(userIds)) {
    const member = byId.get(userId);
    const message = !member
      ? `User ${userId} is not a member of this project: only members can approve`
      : !roleAllows(member.role, "promotion.review")
        ? `${member.name} is a ${member.role}, and that role cannot review promotions: name members who are ${REVIEWER_ROLES.join(" or ")}`
        : null;
    if (message) throw invalid(message, { approverUserIds: message });
  }
}

export const ruleIdInput = z.object({ ruleId: z.uuid("Not a valid rule id") });

/** Stops protecting a target; open requests under the rule keep their recorded revision. */
export async function deleteRule({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof ruleIdInput> }) {
  const { ruleId } = parseInput(ruleIdInput, input);
  await inTransaction(ctx, async (tx) => {
    // Its open requests lose their gates now, while they still point at the rule.
    await recheckRuleRequests(tx, ruleId, null);
    const [rule] = await tx.db
      .delete(promotionRules)
      .where(and(eq(promotionRules.id, ruleId), eq(promotionRules.projectId, ctx.project.id)))
      .returning();
    if (!rule) throw notFound("Rule not found");
    await recordAudit(tx, { project: ctx.project, action: "promotion_rule.delete", target: { type: "promotion_rule", id: rule.id }, before: snapshotOf(rule) });
  });
}

/** The project's rules, each with the model it is narrowed to. */
export async function listRules({ ctx }: { ctx: ProjectContext }) {
  return ctx.db
    .select({ rule: promotionRules, modelName: registeredModels.name })
    .from(promotionRules)
    .leftJoin(registeredModels, eq(registeredModels.id, promotionRules.modelId))
    .where(eq(promotionRules.projectId, ctx.project.id))
    .orderBy(asc(promotionRules.targetKind), asc(promotionRules.targetName));
}

export async function ruleRevisions({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof ruleIdInput> }) {
  const { ruleId } = parseInput(ruleIdInput, input);
  const [rule] = await ctx.db
    .select({ id: promotionRules.id })
    .from(promotionRules)
    .where(and(eq(promotionRules.id, ruleId), eq(promotionRules.projectId, ctx.project.id)));
  if (!rule) throw notFound("Rule not found");
  return ctx.db.select().from(promotionRuleRevisions).where(eq(promotionRuleRevisions.ruleId, ruleId)).orderBy(asc(promotionRuleRevisions.revision));
}

/** The rule protecting a target of a model, if any: a model's own rule wins over the project-wide one. */
export async function ruleFor(ctx: ProjectContext, modelId: string, target: Target): Promise<Rule | null> {
  const rows = await ctx.db
    .select()
    .from(promotionRules)
    .where(
      and(
        eq(promotionRules.projectId, ctx.project.id),
        eq(promotionRules.targetKind, target.kind),
        eq(promotionRules.targetName, target.name),
        or(eq(promotionRules.modelId, modelId), isNull(promotionRules.modelId)),
      ),
    );
  return rows.find((r) => r.modelId === modelId) ?? rows[0] ?? null;
}
