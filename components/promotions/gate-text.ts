import { CARD_FIELD_TEXT } from "@/server/services/model-cards/sections";
import type { Gate } from "./types";

const COMPARISON_SYMBOLS = { lt: "<", lte: "≤", gt: ">", gte: "≥", eq: "=" } as const;

/** A gate in one line: "auc ≥ 0.9", "mae < the holder's", "version tag validated = true". */
export function gateText(gate: Gate): string {
  switch (gate.type) {
    case "metric_vs_holder":
      return `${gate.metric} ${COMPARISON_SYMBOLS[gate.comparison]} the holder's${gate.passWithoutHolder ? "" : " (a holder is required)"}`;
    case "metric_threshold":
      return `${gate.metric} ${COMPARISON_SYMBOLS[gate.comparison]} ${gate.value}`;
    case "tag_equals":
      return `${gate.on === "run" ? "run" : "version"} tag ${gate.tag} = ${gate.value}`;
    case "run_status":
      return `source run ${gate.status}`;
    case "card_complete":
      return gate.fields.length ? `card has ${gate.fields.map((f) => CARD_FIELD_TEXT[f].label.toLowerCase()).join(", ")}` : "complete card";
    case "beats_production":
      return `${gate.metric} beats the holder in production${gate.margin ? ` by more than ${gate.margin}` : ""}${gate.passWithoutEvidence ? "" : " (production evidence required)"}`;
  }
}

/**
 * When a request's gates were judged, as its page tells it: an open request against the version
 * holding the target now; a closed one when it closed (applied: just before it moved the target).
 */
export type Judged = { when: "now" } | { when: "applied" | "closed"; target: string; holderVersion: string | null };

/**
 * A gate result's message and expectation worded for when it was judged. The stored wording is
 * present tense ("Nothing holds the target yet"), true while the request is open; once it closed,
 * and above all once the candidate took the target, it must read as what was found then.
 */
export function judgedGateText(result: { gate: Gate; message: string; expected: string }, judged: Judged): { message: string; expected: string } {
  const { gate } = result;
  if (judged.when === "now" || gate.type !== "metric_vs_holder" || judged.holderVersion !== null) return { message: result.message, expected: result.expected };
  const moment = judged.when === "applied" ? "before this promotion" : "when the request closed";
  return {
    message: `Nothing held ${judged.target}${gate.passWithoutHolder ? "" : " to compare with"} ${moment}`,
    expected: `${gate.metric} ${COMPARISON_SYMBOLS[gate.comparison]} the holder's (there was none)`,
  };
}
