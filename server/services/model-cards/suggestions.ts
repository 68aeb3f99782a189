import type { ModelCardContent } from "../../db/schema";
import type { CardFacts } from "./facts";

const list = (lines: string[]) => lines.map((line) => `- ${line}`).join("\n");

/**
 * Drafts of the sections Cairn can write from what it knows (descriptions, the signature, the
 * source run's datasets and metrics, who registered the model), offered for a person to accept
 * and edit. Sections only a person can write (limitations, ethics, out-of-scope uses) get none.
 */
export function suggestionsFrom(facts: { description: string; registeredBy: string } & Partial<CardFacts>, fallbackDescription = ""): ModelCardContent {
  const suggestions: ModelCardContent = {};
  const description = facts.description.trim() || fallbackDescription.trim();
  if (description) suggestions.intendedUse = description;
  if (facts.registeredBy) suggestions.owners = facts.registeredBy;
  const data: string[] = [];
  if (facts.datasets?.length)
    data.push(
      "Data sets the source run logged:",
      list(facts.datasets.map((d) => `${d.name} (${[d.context, d.sourceType, `digest ${d.digest}`].filter(Boolean).join(", ")})`)),
    );
  const inputs = facts.signature?.inputs ?? [];
  if (inputs.length)
    data.push("Inputs, from the model's signature:", list(inputs.map((i) => `${i.name ?? "(unnamed)"}: ${i.type}${i.required ? "" : " (optional)"}`)));
  if (data.length) suggestions.trainingData = data.join("\n\n");
  // MLflow's system metrics (CPU, memory) say how the run ran, not how the model scored.
  const scores = facts.metrics?.filter((m) => !m.key.startsWith("system/")) ?? [];
  if (scores.length && facts.run)
    suggestions.evaluation = [
      `Metrics logged by run ${facts.run.name} (${facts.run.runId}) in experiment ${facts.run.experimentName}:`,
      list(scores.map((m) => `${m.key}: ${m.value}`)),
    ].join("\n\n");
  return suggestions;
}
