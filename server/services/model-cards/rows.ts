import { and, eq, isNull, or } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { modelCards, type ModelCardContent, type ModelCardField } from "../../db/schema";
import { effectiveContent, filledFields } from "./fields";

export type CardRow = typeof modelCards.$inferSelect;

/** The model's card and, for a version, the version's own (one query); either may not exist yet. */
export async function cardRowsOf(ctx: ProjectContext, modelId: string, versionId: string | null): Promise<{ model: CardRow | null; version: CardRow | null }> {
  const rows = await ctx.db
    .select()
    .from(modelCards)
    .where(
      and(
        eq(modelCards.projectId, ctx.project.id),
        eq(modelCards.modelId, modelId),
        versionId ? or(isNull(modelCards.versionId), eq(modelCards.versionId, versionId)) : isNull(modelCards.versionId),
      ),
    );
  return { model: rows.find((r) => r.versionId === null) ?? null, version: versionId ? (rows.find((r) => r.versionId === versionId) ?? null) : null };
}

/** The sections a version's card has written, its own or inherited from the model card (what a gate asks of it). */
export async function filledCardFieldsOf(ctx: ProjectContext, version: { id: string; modelId: string }): Promise<ModelCardField[]> {
  const rows = await cardRowsOf(ctx, version.modelId, version.id);
  const own: ModelCardContent = rows.version?.content ?? {};
  return filledFields(effectiveContent(own, rows.model?.content ?? null));
}
