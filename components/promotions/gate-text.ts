import type { Gate } from "./types";

export const COMPARISON_SYMBOLS = { lt: "<", lte: "≤", gt: ">", gte: "≥", eq: "=" } as const;

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
  }
}
