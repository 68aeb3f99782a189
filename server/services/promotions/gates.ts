import { MODEL_CARD_FIELDS, type Gate, type GateResult, type ModelCardField, type ProductionMetric } from "../../db/schema";
import { CARD_FIELD_TEXT } from "../model-cards/sections";
import { isWorse } from "../monitoring/production-metric";

/** A holder's record in production since it took the target: its metric over the labelled records. */
export type ProductionEvidence = { metric: ProductionMetric; value: number | null; labelled: number; since: Date };

/**
 * What gates look at for one version: its source run's latest metrics, tags and status, its own
 * tags, the card sections it has written, and (for a holder, when a gate compares with it) its
 * production record.
 */
export type Evidence = {
  version: number;
  runStatus: string | null;
  metrics: Record<string, number>;
  runTags: Record<string, string>;
  versionTags: Record<string, string>;
  cardFilled: ModelCardField[];
  production?: ProductionEvidence | null;
};

const symbols = { lt: "<", lte: "≤", gt: ">", gte: "≥", eq: "=" } as const;

function holds(actual: number, comparison: keyof typeof symbols, expected: number): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return false;
  switch (comparison) {
    case "lt":
      return actual < expected;
    case "lte":
      return actual <= expected;
    case "gt":
      return actual > expected;
    case "gte":
      return actual >= expected;
    case "eq":
      return actual === expected;
  }
}

const show = (v: number | undefined) => (v === undefined ? null : String(v));

/**
 * Evaluates every gate against the candidate (and the version holding the target, if any), with the
 * values compared, so a reviewer sees exactly why a gate passed or failed.
 */
export function evaluateGates(gates: Gate[], candidate: Evidence, holder: Evidence | null): GateResult[] {
  return gates.map((gate): GateResult => {
    switch (gate.type) {
      case "metric_threshold": {
        const actual = candidate.metrics[gate.metric];
        const expected = `${gate.metric} ${symbols[gate.comparison]} ${gate.value}`;
        if (actual === undefined) return { gate, passed: false, actual: null, expected, message: `The source run has no metric ${gate.metric}` };
        const passed = holds(actual, gate.comparison, gate.value);
        return { gate, passed, actual: show(actual), expected, message: `${gate.metric} is ${actual}; needs ${symbols[gate.comparison]} ${gate.value}` };
      }
      case "metric_vs_holder": {
        const actual = candidate.metrics[gate.metric];
        if (!holder) {
          const expected = `${gate.metric} ${symbols[gate.comparison]} the current holder's`;
          return {
            gate,
            passed: gate.passWithoutHolder,
            actual: show(actual),
            expected,
            message: gate.passWithoutHolder ? "Nothing holds the target yet" : "Nothing holds the target to compare with",
          };
        }
        const reference = holder.metrics[gate.metric];
        const expected = `${gate.metric} ${symbols[gate.comparison]} ${reference ?? "?"} (version ${holder.version})`;
        if (actual === undefined) return { gate, passed: false, actual: null, expected, message: `The source run has no metric ${gate.metric}` };
        if (reference === undefined)
          return {
            gate,
            passed: false,
            actual: show(actual),
            expected,
            message: `Version ${holder.version}'s run has no metric ${gate.metric} to compare with`,
          };
        const passed = holds(actual, gate.comparison, reference);
        return { gate, passed, actual: show(actual), expected, message: `${gate.metric} is ${actual} against ${reference} for version ${holder.version}` };
      }
      case "tag_equals": {
        const tags = gate.on === "run" ? candidate.runTags : candidate.versionTags;
        const actual = tags[gate.tag];
        const where = gate.on === "run" ? "source run" : "version";
        const passed = actual === gate.value;
        return {
          gate,
          passed,
          actual: actual ?? null,
          expected: `${gate.tag} = ${gate.value}`,
          message: actual === undefined ? `The ${where} has no tag ${gate.tag}` : `The ${where}'s ${gate.tag} is "${actual}"`,
        };
      }
      case "run_status": {
        const passed = candidate.runStatus === gate.status;
        return {
          gate,
          passed,
          actual: candidate.runStatus,
          expected: `run ${gate.status}`,
          message: candidate.runStatus ? `The source run is ${candidate.runStatus}` : "The version has no source run",
        };
      }
      case "card_complete": {
        const wanted = gate.fields.length ? gate.fields : [...MODEL_CARD_FIELDS];
        const missing = wanted.filter((field) => !candidate.cardFilled.includes(field));
        const names = (fields: ModelCardField[]) => fields.map((field) => CARD_FIELD_TEXT[field].label.toLowerCase()).join(", ");
        return {
          gate,
          passed: missing.length === 0,
          actual: `${wanted.length - missing.length} of ${wanted.length} sections`,
          expected: gate.fields.length ? `card: ${names(wanted)}` : "a complete card",
          message: missing.length ? `The card leaves ${names(missing)} empty` : "The card has every section the rule asks for",
        };
      }
      case "beats_production":
        return beatsProduction(gate, candidate.metrics, holder);
    }
  });
}

/**
 * The candidate's validation metric against the holder's production metric (better by more than the
 * margin). Exported for the request page, which judges it again on the production record it shows.
 */
export function beatsProduction(
  gate: Extract<Gate, { type: "beats_production" }>,
  metrics: Record<string, number>,
  holder: Pick<Evidence, "version" | "production"> | null,
): GateResult {
  const actual = metrics[gate.metric];
  const production = holder?.production;
  const margin = gate.margin ? ` by more than ${gate.margin}` : "";
  if (!holder || !production || production.value === null) {
    const why = !holder ? "Nothing holds the target" : `Version ${holder.version} has no labelled production records yet`;
    return {
      gate,
      passed: gate.passWithoutEvidence,
      actual: show(actual),
      expected: `${gate.metric} better than the holder's production metric${margin}`,
      message: gate.passWithoutEvidence ? `${why}: nothing to beat` : `${why} to compare with`,
    };
  }
  const expected = `${gate.metric} better than ${production.metric} ${production.value} in production (version ${holder.version})${margin}`;
  if (actual === undefined) return { gate, passed: false, actual: null, expected, message: `The source run has no metric ${gate.metric}` };
  const passed = isWorse(production.metric, production.value, actual, gate.margin);
  return {
    gate,
    passed,
    actual: show(actual),
    expected,
    message: `${gate.metric} is ${actual} against ${production.metric} ${production.value} for version ${holder.version} over ${production.labelled} labelled records`,
  };
}
