import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelVersions, promotionRequests, promotionRules } from "../../db/schema";
import { parseInput } from "../../errors";
import { modelByName } from "../registry/shared";
import { getModelDetail, modelNameInput } from "../registry/views";
import { OPEN_STATUSES } from "./status";

/**
 * A model as its page shows it: the registry's view of the model and its versions, with the rules
 * protecting its targets and each version's open requests added here, since the registry does
 * not know promotions exist.
 */
export async function getModelWithPromotions({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof modelNameInput> }) {
  const { name } = parseInput(modelNameInput, input);
  const model = await modelByName(ctx, name);
  const [detail, rules, openRequests] = await Promise.all([
    getModelDetail({ ctx, input: { name } }),
    ctx.db
      .select()
      .from(promotionRules)
      .where(and(eq(promotionRules.projectId, ctx.project.id), sql`(${promotionRules.modelId} is null or ${promotionRules.modelId} = ${model.id})`)),
    ctx.db
      .select({
        number: promotionRequests.number,
        version: modelVersions.version,
        targetKind: promotionRequests.targetKind,
        targetName: promotionRequests.targetName,
        status: promotionRequests.status,
      })
      .from(promotionRequests)
      .innerJoin(modelVersions, eq(modelVersions.id, promotionRequests.versionId))
      .where(
        and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.modelId, model.id), inArray(promotionRequests.status, [...OPEN_STATUSES])),
      ),
  ]);
  return {
    ...detail,
    protectedTargets: rules.map((r) => ({ kind: r.targetKind, name: r.targetName, requiredApprovals: r.requiredApprovals, modelSpecific: r.modelId !== null })),
    versions: detail.versions.map((version) => ({
      ...version,
      openRequests: openRequests
        .filter((r) => r.version === version.version)
        .map((r) => ({ number: r.number, target: { kind: r.targetKind, name: r.targetName }, status: r.status })),
    })),
  };
}
