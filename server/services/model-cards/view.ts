import { z } from "zod";
import type { ProjectContext } from "../../context";
import { MODEL_CARD_FIELDS, type ModelCardContent, type ModelCardField } from "../../db/schema";
import { parseInput } from "../../errors";
import { modelByName, modelNameField, versionField, versionOf } from "../registry/shared";
import { modelFacts, versionFacts, type CardFacts } from "./facts";
import { effectiveContent, filledFields } from "./fields";
import { cardRowsOf } from "./rows";
import { CARD_FIELD_TEXT } from "./sections";
import { suggestionsFrom } from "./suggestions";

/** A model's card (no version) or one version's. */
export const cardInput = z.object({ name: modelNameField, version: versionField.optional() });

type CardSection = {
  field: ModelCardField;
  label: string;
  hint: string;
  /** What the card says: the version's own text, or the model card's when `inherited`. */
  value: string;
  inherited: boolean;
  /** A draft from what Cairn knows, offered while it differs from what the card says. */
  suggestion: string | null;
};

export type ModelCardView = {
  model: { name: string };
  version: number | null;
  sections: CardSection[];
  completeness: { filled: number; total: number; missing: ModelCardField[] };
  /** The version's lineage, signature, metrics and datasets; null on a model's card. */
  facts: CardFacts | null;
  updatedAt: Date | null;
};

/** What a card says, whether each section is inherited, what Cairn would suggest, and how complete it is. */
function cardView(own: ModelCardContent, inherited: ModelCardContent | null, suggestions: ModelCardContent): Pick<ModelCardView, "sections" | "completeness"> {
  const sections = MODEL_CARD_FIELDS.map((field): CardSection => {
    const mine = own[field];
    const theirs = mine ? undefined : inherited?.[field];
    const value = mine ?? theirs ?? "";
    const suggestion = suggestions[field];
    return { field, ...CARD_FIELD_TEXT[field], value, inherited: Boolean(theirs), suggestion: suggestion && suggestion !== value ? suggestion : null };
  });
  const filled = filledFields(effectiveContent(own, inherited));
  return {
    sections,
    completeness: { filled: filled.length, total: MODEL_CARD_FIELDS.length, missing: MODEL_CARD_FIELDS.filter((f) => !filled.includes(f)) },
  };
}

/**
 * A card as its page shows it. A version's card inherits each section it leaves empty from the
 * model's card; suggestions are drafted from the registry and the source run, never saved unasked.
 */
export async function getModelCard({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof cardInput> }): Promise<ModelCardView> {
  const data = parseInput(cardInput, input);
  const model = await modelByName(ctx, data.name);
  const version = data.version === undefined ? null : await versionOf(ctx, model, data.version);
  const [rows, facts] = await Promise.all([cardRowsOf(ctx, model.id, version?.id ?? null), version ? versionFacts(ctx, version) : null]);
  const row = version ? rows.version : rows.model;
  const suggestions = facts ? suggestionsFrom(facts, model.description) : suggestionsFrom(await modelFacts(ctx, model));
  const view = cardView(row?.content ?? {}, version ? (rows.model?.content ?? {}) : null, suggestions);
  return { model: { name: model.name }, version: version?.version ?? null, ...view, facts, updatedAt: row?.updatedAt ?? null };
}
