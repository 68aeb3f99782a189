import { z } from "zod";
import { MODEL_CARD_FIELDS, type ModelCardContent, type ModelCardField } from "../../db/schema";

/** One section of a card is prose, not a document: past this it belongs in a linked file. */
export const CARD_FIELD_MAX_CHARS = 20_000;

/** How a card names each section, and what it asks for (the page, the editor and the export share them). */
export const CARD_FIELD_TEXT: Record<ModelCardField, { label: string; hint: string }> = {
  intendedUse: { label: "Intended use", hint: "What the model is for, and who uses its predictions." },
  outOfScopeUses: { label: "Out-of-scope uses", hint: "Uses it was not built or evaluated for." },
  trainingData: { label: "Training data", hint: "What it was trained on: data sets, their period and provenance, the features." },
  evaluation: { label: "Evaluation", hint: "How it was evaluated, on what data, with which results." },
  limitations: { label: "Limitations", hint: "Where it is known to be weak or to fail." },
  ethicalConsiderations: { label: "Ethical considerations", hint: "Risks to people, fairness, privacy, and how they are handled." },
  owners: { label: "Owners", hint: "Who answers for the model, and how to reach them." },
};

const sectionField = (field: ModelCardField) =>
  z
    .string()
    .trim()
    .max(CARD_FIELD_MAX_CHARS, `Keep ${CARD_FIELD_TEXT[field].label.toLowerCase()} under ${CARD_FIELD_MAX_CHARS.toLocaleString("en")} characters`)
    .optional();

/** A card's content as a client sends it: known sections only, each trimmed; a blank section is no section. */
export const cardContentField = z
  .strictObject(Object.fromEntries(MODEL_CARD_FIELDS.map((field) => [field, sectionField(field)])) as Record<ModelCardField, ReturnType<typeof sectionField>>)
  .transform((content): ModelCardContent => Object.fromEntries(Object.entries(content).filter(([, value]) => value)));

/** The sections a card has written, in the card's order. */
export function filledFields(content: ModelCardContent): ModelCardField[] {
  return MODEL_CARD_FIELDS.filter((field) => Boolean(content[field]?.trim()));
}

/** A version's card as it reads: its own sections, and the model card's where the version left one empty. */
export function effectiveContent(own: ModelCardContent, inherited: ModelCardContent | null): ModelCardContent {
  return Object.fromEntries(MODEL_CARD_FIELDS.map((field) => [field, own[field] || inherited?.[field]]).filter(([, value]) => value));
}
