import { z } from "zod";
import type { TargetKind } from "../../db/schema";
import { aliasField, stageField } from "../registry/shared";

export type Target = { kind: TargetKind; name: string };

/** A stage name in canonical case, an alias name, or a version-tag key, checked like their own endpoints do. */
export const targetField = z
  .object({ kind: z.enum(["stage", "alias", "tag"]), name: z.string().trim().min(1, "Name the stage, alias or tag").max(255) })
  .transform((target, ctx): Target => {
    const check =
      target.kind === "stage"
        ? stageField.safeParse(target.name)
        : target.kind === "alias"
          ? aliasField.safeParse(target.name)
          : { success: true as const, data: target.name };
    if (!check.success) {
      ctx.addIssue({ code: "custom", path: ["name"], message: check.error.issues[0]?.message ?? "Invalid target" });
      return z.NEVER;
    }
    if (target.kind === "stage" && (check.data === "None" || check.data === "Archived")) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "Only Staging and Production can be protected" });
      return z.NEVER;
    }
    return { kind: target.kind, name: String(check.data) };
  });

/** How a target is named to people: "stage Production", "alias @champion", "tag deploy". */
export function describeTarget(target: { kind: TargetKind; name: string }): string {
  return target.kind === "stage" ? `stage ${target.name}` : target.kind === "alias" ? `alias @${target.name}` : `tag ${target.name}`;
}
