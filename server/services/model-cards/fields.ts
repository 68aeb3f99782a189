import { z } from "zod";
import { MODEL_CARD_FIELDS, type ModelCardContent, type ModelCardField } from "../../db/schema";
import { CARD_FIELD_MAX_CHARS, CARD_FIELD_TEXT } from "./sections";

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
