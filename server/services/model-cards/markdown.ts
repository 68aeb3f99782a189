import type { z } from "zod";
import type { ProjectContext } from "../../context";
import { cardInput, getModelCard, type ModelCardView } from "./view";

/** Table cells hold one line, and a pipe would end the cell. */
const cell = (value: string) => value.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");

/** A card as a markdown document: its sections (inherited ones marked), then what Cairn recorded about the version. */
function cardMarkdown(card: ModelCardView, project: { name: string }): string {
  const title = card.version === null ? card.model.name : `${card.model.name} version ${card.version}`;
  const lines = [`# Model card: ${title}`, "", `Project ${project.name} · ${card.completeness.filled} of ${card.completeness.total} sections written`, ""];
  for (const section of card.sections) {
    lines.push(`## ${section.label}`, "");
    lines.push(section.value || "_Not written yet._", "");
    if (section.inherited) lines.push("_From the model's card._", "");
  }
  const facts = card.facts;
  if (!facts) return lines.join("\n");
  lines.push("## Lineage", "", `- Registered by ${facts.registeredBy || "unknown"} on ${facts.registeredAt.toISOString()}`);
  if (facts.run) lines.push(`- Source run: ${facts.run.name} (${facts.run.runId}, ${facts.run.status}) in experiment ${facts.run.experimentName}`);
  lines.push(`- Source: \`${facts.source}\``, "");
  if (facts.signature) {
    lines.push("## Signature", "", "| | Name | Type | Required |", "| --- | --- | --- | --- |");
    for (const [kind, fields] of [
      ["input", facts.signature.inputs],
      ["output", facts.signature.outputs],
    ] as const)
      for (const f of fields) lines.push(`| ${kind} | ${cell(f.name ?? "")} | ${cell(f.type)} | ${f.required ? "yes" : "no"} |`);
    lines.push("");
  }
  if (facts.metrics.length) {
    lines.push("## Metrics", "", "| Metric | Value |", "| --- | --- |", ...facts.metrics.map((m) => `| ${cell(m.key)} | ${m.value} |`), "");
  }
  if (facts.datasets.length) {
    lines.push("## Datasets", "", "| Name | Context | Source type | Digest |", "| --- | --- | --- | --- |");
    lines.push(...facts.datasets.map((d) => `| ${cell(d.name)} | ${cell(d.context ?? "")} | ${cell(d.sourceType)} | ${cell(d.digest)} |`), "");
  }
  return lines.join("\n");
}

/** The card of a model or a version as a markdown file, with the name it downloads under. */
export async function exportModelCard({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof cardInput> }) {
  const card = await getModelCard({ ctx, input });
  const base = card.model.name.replace(/[^\w.-]+/g, "_");
  return { filename: `${base}${card.version === null ? "" : `-v${card.version}`}-card.md`, markdown: cardMarkdown(card, ctx.project) };
}
