import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { DomainError, parseInput } from "../../errors";
import { loggedModelRow } from "../tracking/logged-models";
import { createRegisteredModel } from "./models";
import { modelByName, modelNameField } from "./shared";
import { createModelVersion } from "./versions";

export const registerLoggedModelInput = z.object({ modelId: z.string().min(1, "modelId is required").max(100), name: modelNameField });

/** Whether the project has a registered model of this name. */
async function modelExists(ctx: ProjectContext, name: string): Promise<boolean> {
  try {
    await modelByName(ctx, name);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") return false;
    throw error;
  }
}

/**
 * Registers a logged model as a new version of `name`, creating the registered model first when the
 * project has none of that name, as `mlflow.register_model("models:/<model id>", name)` does: the
 * same two services MLflow's create calls reach, in one transaction. The version's source is
 * `models:/<model id>` and its run the one that logged the model.
 */
export async function registerLoggedModel({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof registerLoggedModelInput> }) {
  const { modelId, name } = parseInput(registerLoggedModelInput, input);
  const logged = await loggedModelRow(ctx, modelId);
  return inTransaction(ctx, async (tx) => {
    const created = !(await modelExists(tx, name));
    if (created) await createRegisteredModel({ ctx: tx, input: { name } });
    const version = await createModelVersion({ ctx: tx, input: { name, source: `models:/${logged.id}`, modelId: logged.id } });
    return { name, version: Number(version.version), createdModel: created };
  });
}
