import { effectivePermissions, requireUser } from "../../access/authorize";
import type { ProjectContext } from "../../context";
import { DomainError, forbidden } from "../../errors";
import { absoluteUrl } from "../links";
import type { ModelRow, VersionRow } from "../registry/shared";
import { openRequest } from "./open-request";
import { ruleFor } from "./rules";
import { describeTarget, type Target } from "./targets";

const DOORS = { ui: "the web UI", api: "the API", mlflow: "the MLflow API", cli: "the CLI" } as const;

/**
 * Stands in front of every direct change to a stage, alias or tag, whichever door it comes through
 * (UI, tRPC, MLflow API). An unprotected target passes. A protected one is never changed directly:
 * Cairn opens (or finds) a promotion request on the caller's behalf and refuses with its URL, so an
 * automated pipeline ends up asking for review instead of promoting.
 */
export async function guardTargetChange(ctx: ProjectContext, model: ModelRow, version: VersionRow, target: Target, tagValue?: string): Promise<void> {
  const rule = await ruleFor(ctx, model.id, target);
  if (!rule) return;
  const actor = requireUser(ctx);
  const subject = `${describeTarget(target)} of model '${model.name}'`;
  if (!effectivePermissions(actor, ctx).has("promotion.request")) throw forbidden(`${subject} is protected, and your role cannot request promotions`);
  let request;
  try {
    request = await openRequest({
      ctx,
      input: {
        modelName: model.name,
        version: version.version,
        target,
        targetValue: tagValue,
        justification: `Requested by ${actor.user.email} through ${DOORS[ctx.door ?? "api"]}.`,
      },
      via: ctx.door === "mlflow" ? "mlflow" : ctx.door === "cli" ? "cli" : ctx.door === "ui" ? "ui" : "api",
    });
  } catch (error) {
    // The version already holds the target: the change would change nothing.
    if (error instanceof DomainError && error.kind === "conflict") return;
    throw error;
  }
  const url = absoluteUrl(ctx, `/p/${ctx.project.slug}/promotions/${request.number}`);
  throw forbidden(
    `${subject} is protected: it changes only through an approved promotion request. Cairn opened request #${request.number} for version ${version.version}: ${url}`,
  );
}

/** Taking a protected target away from its version (deleting the alias, moving the version out) is refused. */
export async function guardTargetRelease(ctx: ProjectContext, model: ModelRow, target: Target): Promise<void> {
  if (!(await ruleFor(ctx, model.id, target))) return;
  throw forbidden(`${describeTarget(target)} of model '${model.name}' is protected: promote another version through a request, or roll it back in Cairn`);
}
