import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { runTags } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { LIMITS } from "./limits";
import { activeRun, runIdField, upsertRunTags } from "./runs";

const HISTORY_TAG = "mlflow.log-model.history";

export const logModelInput = z.object({ runId: runIdField, modelJson: z.string({ error: "model_json is required" }).max(1_000_000) });

/**
 * MLflow 2.x clients report each `log_model` here; like MLflow, Cairn keeps the MLmodel summaries
 * in the run's `mlflow.log-model.history` tag (the newest that fit the tag limit).
 */
export async function logModelHistory({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof logModelInput> }) {
  const { runId, modelJson } = parseInput(logModelInput, input);
  const model = parseModelSummary(modelJson);
  const run = await activeRun(ctx, runId);
  await inTransaction(ctx, async (tx) => {
    const [current] = await tx.db
      .select({ value: runTags.value })
      .from(runTags)
      .where(and(eq(runTags.runId, run.id), eq(runTags.key, HISTORY_TAG)))
      .for("update");
    const history = [...previousSummaries(current?.value), model];
    while (history.length && JSON.stringify(history).length > LIMITS.runTagValueLength) history.shift();
    // A single summary larger than the tag limit is not kept; the model's files are unaffected.
    if (history.length) await upsertRunTags(tx, run.id, [{ key: HISTORY_TAG, value: JSON.stringify(history) }]);
  });
}

function parseModelSummary(modelJson: string): Record<string, unknown> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalid("model_json is not valid JSON");
  }
  if (typeof model !== "object" || model === null || Array.isArray(model)) throw invalid("model_json must be a JSON object");
  for (const field of ["artifact_path", "flavors", "utc_time_created", "run_id"]) {
    if (!(field in model)) throw invalid(`model_json is missing '${field}'`);
  }
  return model as Record<string, unknown>;
}

/** The tag is an ordinary run tag, so a client may have overwritten it with anything; start afresh then. */
function previousSummaries(tagValue: string | undefined): unknown[] {
  if (!tagValue) return [];
  try {
    const parsed: unknown = JSON.parse(tagValue);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
