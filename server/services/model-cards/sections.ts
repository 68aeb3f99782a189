import type { ModelCardField } from "../../db/schema";

/** One section of a card is prose, not a document: past this it belongs in a linked file. */
export const CARD_FIELD_MAX_CHARS = 20_000;

/**
 * How a card names each section, and what it asks for, in the card's order. No runtime imports, so the
 * page, the gate editor in the browser and the markdown export share one wording.
 */
export const CARD_FIELD_TEXT: Record<ModelCardField, { label: string; hint: string }> = {
  intendedUse: { label: "Intended use", hint: "What the model is for, and who uses its predictions." },
  outOfScopeUses: { label: "Out-of-scope uses", hint: "Uses it was not built or evaluated for." },
  trainingData: { label: "Training data", hint: "What it was trained on: data sets, their period and provenance, the features." },
  evaluation: { label: "Evaluation", hint: "How it was evaluated, on what data, with which results." },
  limitations: { label: "Limitations", hint: "Where it is known to be weak or to fail." },
  ethicalConsiderations: { label: "Ethical considerations", hint: "Risks to people, fairness, privacy, and how they are handled." },
  owners: { label: "Owners", hint: "Who answers for the model, and how to reach them." },
};
