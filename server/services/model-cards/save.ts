import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { modelCards } from "../../db/schema";
import { parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { signal } from "../events";
import { lockModel, modelByName, versionOf } from "../registry/shared";
import { cardContentField } from "./fields";
import { cardRowsOf } from "./rows";
import { cardInput } from "./view";

export const saveCardInput = cardInput.extend({ content: cardContentField });

/**
 * Writes a model's or a version's card whole (a section left blank is removed, and a version then
 * inherits the model's), audited with what it said before. Open requests whose candidate reads
 * this card are judged again, as for any change of evidence.
 */
export async function saveModelCard({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof saveCardInput> }) {
  const data = parseInput(saveCardInput, input);
  const actor = requireUser(ctx);
  const model = await modelByName(ctx, data.name);
  return inTransaction(ctx, async (tx) => {
    // Two first saves of one card would both insert: the model's row lock puts them in line.
    await lockModel(tx, model);
    const version = data.version === undefined ? null : await versionOf(tx, model, data.version);
    const rows = await cardRowsOf(tx, model.id, version?.id ?? null);
    const existing = version ? rows.version : rows.model;
    const values = { content: data.content, updatedBy: actor.user.id, updatedAt: new Date() };
    const [row] = existing
      ? await tx.db
          .update(modelCards)
          .set(values)
          .where(and(eq(modelCards.projectId, ctx.project.id), eq(modelCards.id, existing.id)))
          .returning()
      : await tx.db
          .insert(modelCards)
          .values({ ...values, projectId: ctx.project.id, modelId: model.id, versionId: version?.id ?? null })
          .returning();
    await recordAudit(tx, {
      project: ctx.project,
      action: "model_card.update",
      target: version ? { type: "model_version", id: version.id } : { type: "registered_model", id: model.id },
      before: existing?.content ?? null,
      after: { model: model.name, version: version?.version ?? null, content: data.content },
    });
    await signal(tx, "evidence.changed", version ? { versionId: version.id } : { modelId: model.id });
    return { updatedAt: row!.updatedAt };
  });
}
