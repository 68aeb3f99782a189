import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { ProjectContext } from "../../context";
import { promotionRequests } from "../../db/schema";
import { parseInput } from "../../errors";
import { modelByName, versionOf } from "../registry/shared";
import { versionInput } from "../registry/views";
import { versionSummary } from "./view";

/** One version as its page shows it: the version, its source run's metrics, params and datasets. */
export async function getVersionDetail({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionInput> }) {
  const { name, version } = parseInput(versionInput, input);
  const model = await modelByName(ctx, name);
  return versionSummary(ctx, await versionOf(ctx, model, version), model.name);
}

/** Requests that concern one version, newest first (for its page). */
export async function versionRequests({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionInput> }) {
  const { name, version } = parseInput(versionInput, input);
  const model = await modelByName(ctx, name);
  const row = await versionOf(ctx, model, version);
  return ctx.db
    .select({
      number: promotionRequests.number,
      status: promotionRequests.status,
      targetKind: promotionRequests.targetKind,
      targetName: promotionRequests.targetName,
      createdAt: promotionRequests.createdAt,
    })
    .from(promotionRequests)
    .where(and(eq(promotionRequests.versionId, row.id), eq(promotionRequests.projectId, ctx.project.id)))
    .orderBy(desc(promotionRequests.number));
}
