import { and, eq, isNull, or } from "drizzle-orm";
import type { ProjectContext } from "../../context";
import { MODEL_CARD_FIELDS, modelCards, type ModelCardContent, type ModelCardField } from "../../db/schema";
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

/** Which sections a version's card has written, its own or inherited from the model card (what a gate and a review ask of it). */
export async function cardCompletenessOf(
  ctx: ProjectContext,
  version: { id: string; modelId: string },
): Promise<{ filled: ModelCardField[]; missing: ModelCardField[] }> {
  const rows = await cardRowsOf(ctx, version.modelId, version.id);
  const own: ModelCardContent = rows.version?.content ?? {};
  const filled = filledFields(effectiveContent(own, rows.model?.content ?? null));
  return { filled, missing: MODEL_CARD_FIELDS.filter((field) => !filled.includes(field)) };
}
