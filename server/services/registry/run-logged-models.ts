import { and, count, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { loggedModels, modelVersions } from "../../db/schema";
import { parseInput } from "../../errors";
import { runById, runIdField } from "../tracking/runs";

export const runLoggedModelsInput = z.object({ runId: runIdField });

/**
 * The MLflow 3 logged models a run of the project produced, newest first, each with how many live
 * versions were registered from it: what the run page offers to register.
 */
export async function listRunLoggedModels({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runLoggedModelsInput> }) {
  const { runId } = parseInput(runLoggedModelsInput, input);
  const run = await runById(ctx, runId);
  return ctx.db
    .select({
      modelId: loggedModels.id,
      name: loggedModels.name,
      status: loggedModels.status,
      createdAt: loggedModels.createdAt,
      versions: count(modelVersions.id),
    })
    .from(loggedModels)
    .leftJoin(
      modelVersions,
      and(eq(modelVersions.loggedModelId, loggedModels.id), eq(modelVersions.projectId, ctx.project.id), isNull(modelVersions.deletedAt)),
    )
    .where(and(eq(loggedModels.projectId, ctx.project.id), eq(loggedModels.sourceRunId, run.id), isNull(loggedModels.deletedAt)))
    .groupBy(loggedModels.id)
    .orderBy(desc(loggedModels.createdAt), desc(loggedModels.id));
}
