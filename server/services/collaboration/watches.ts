import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import type { ProjectContext } from "../../context";
import { watches } from "../../db/schema";
import { parseInput } from "../../errors";
import type { Subject } from "../events";
import { modelByName, modelNameField } from "../registry/shared";

/** What can be watched: the project itself, or one of its registered models (by name). */
const watchSubjectField = z.discriminatedUnion("type", [
  z.object({ type: z.literal("project") }),
  z.object({ type: z.literal("registered_model"), name: modelNameField }),
]);

/** The watched subject as events name it: the project's or the model's id. */
async function subjectOf(ctx: ProjectContext, subject: z.output<typeof watchSubjectField>): Promise<Subject> {
  if (subject.type === "project") return { type: "project", id: ctx.project.id };
  const model = await modelByName(ctx, subject.name);
  return { type: "registered_model", id: model.id };
}

function mine(ctx: ProjectContext, subject: Subject) {
  return and(
    eq(watches.userId, requireUser(ctx).user.id),
    eq(watches.projectId, ctx.project.id),
    eq(watches.subjectType, subject.type),
    eq(watches.subjectId, subject.id),
  );
}

export const watchStatusInput = z.object({ subject: watchSubjectField });

/** Whether I watch the project or model. */
export async function watchStatus({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof watchStatusInput> }) {
  const data = parseInput(watchStatusInput, input);
  const subject = await subjectOf(ctx, data.subject);
  const [row] = await ctx.db.select({ since: watches.createdAt }).from(watches).where(mine(ctx, subject));
  return { watching: Boolean(row), since: row?.since ?? null };
}

export const setWatchInput = watchStatusInput.extend({ watching: z.boolean() });

/**
 * Starts or stops watching. Watchers hear of comments, promotions and rollbacks on what they watch,
 * for as long as they remain members. Setting the state it already has is a no-op.
 */
export async function setWatch({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof setWatchInput> }) {
  const data = parseInput(setWatchInput, input);
  const subject = await subjectOf(ctx, data.subject);
  if (data.watching) {
    await ctx.db
      .insert(watches)
      .values({ userId: requireUser(ctx).user.id, projectId: ctx.project.id, subjectType: subject.type, subjectId: subject.id })
      .onConflictDoNothing();
  } else {
    await ctx.db.delete(watches).where(mine(ctx, subject));
  }
  return watchStatus({ ctx, input: data });
}
