import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { modelAliases, modelVersions, registeredModels } from "../../db/schema";
import { parseInput } from "../../errors";
import { runById, runIdField } from "../tracking/runs";

export const runRegistrationsInput = z.object({ runId: runIdField });

/**
 * The model versions registered from one run of the project (directly, or through a logged model
 * the run produced), by model name and newest version first, each with its stage and aliases.
 */
export async function listRunRegistrations({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runRegistrationsInput> }) {
  const { runId } = parseInput(runRegistrationsInput, input);
  const run = await runById(ctx, runId);
  const rows = await ctx.db
    .select({
      id: modelVersions.id,
      name: registeredModels.name,
      version: modelVersions.version,
      stage: modelVersions.stage,
      createdAt: modelVersions.createdAt,
    })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(and(eq(modelVersions.projectId, ctx.project.id), eq(modelVersions.runId, run.id), isNull(modelVersions.deletedAt)))
    .orderBy(asc(registeredModels.name), desc(modelVersions.version));
  const aliases = rows.length
    ? await ctx.db
        .select({ versionId: modelAliases.versionId, alias: modelAliases.alias })
        .from(modelAliases)
        .where(
          inArray(
            modelAliases.versionId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(modelAliases.alias))
    : [];
  return rows.map(({ id, ...row }) => ({ ...row, aliases: aliases.filter((a) => a.versionId === id).map((a) => a.alias) }));
}
