import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { effectivePermissions, requireUser } from "../access/authorize";
import { inTransaction, type ProjectContext, type ServiceContext } from "../context";
import { liftStatementTimeout } from "../db/client";
import { projectMembers, projects } from "../db/schema";
import { conflict, invalid, isUniqueViolation, parseInput } from "../errors";
import { recordAudit } from "./audit";
import { descriptionField, projectNameField, slugField } from "./fields";
import { createDefaultExperiment } from "./tracking/experiments";
import { deleteProjectArtifacts, deleteProjectMetricPoints } from "./tracking/purge";

export const createProjectInput = z.object({
  slug: slugField,
  name: projectNameField,
  description: descriptionField.default(""),
});

/** Creates a project owned by `ownerId`, with its audit row, in one transaction. */
export async function insertProject(ctx: ServiceContext, input: z.input<typeof createProjectInput>, ownerId: string) {
  const data = parseInput(createProjectInput, input);
  return inTransaction(ctx, async (tx) => {
    let project;
    try {
      [project] = await tx.db.insert(projects).values(data).returning();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`The slug '${data.slug}' is taken`, { slug: "This slug is taken" });
      throw error;
    }
    await tx.db.insert(projectMembers).values({ projectId: project!.id, userId: ownerId, role: "owner" });
    await createDefaultExperiment(tx, project!.id);
    await recordAudit(tx, {
      project: project!,
      action: "project.create",
      target: { type: "project", id: project!.id },
      after: { ...data, owner: ownerId },
    });
    return project!;
  });
}

/** Creates a project owned by the signed-in user. */
export async function createProject({ ctx, input }: { ctx: ServiceContext; input: z.input<typeof createProjectInput> }) {
  return insertProject(ctx, input, requireUser(ctx).user.id);
}

export const listProjectsInput = z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false });

/** The projects the actor belongs to, with their role in each (a project-scoped token sees only its project). */
export async function listMyProjects({ ctx, input }: { ctx: ServiceContext; input?: z.input<typeof listProjectsInput> }) {
  const actor = requireUser(ctx);
  const { includeArchived } = parseInput(listProjectsInput, input);
  const scope = actor.via === "token" && actor.token.projectId ? eq(projects.id, actor.token.projectId) : undefined;
  return ctx.db
    .select({
      id: projects.id,
      slug: projects.slug,
      name: projects.name,
      description: projects.description,
      archivedAt: projects.archivedAt,
      role: projectMembers.role,
    })
    .from(projects)
    .innerJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, actor.user.id)))
    .where(and(scope, includeArchived ? undefined : isNull(projects.archivedAt)))
    .orderBy(asc(projects.name));
}

/** The project as its member sees it, with the permissions the actor holds there. */
export async function getProject({ ctx }: { ctx: ProjectContext }) {
  const permissions = [...effectivePermissions(requireUser(ctx), ctx)];
  return { ...ctx.project, role: ctx.role, permissions };
}

export const updateProjectInput = z.object({ name: projectNameField, description: descriptionField });

export async function updateProject({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateProjectInput> }) {
  const data = parseInput(updateProjectInput, input);
  return inTransaction(ctx, async (tx) => {
    const [project] = await tx.db
      .update(projects)
      .set({ ...data, updatedAt: new Date() })
      .where(eq(projects.id, ctx.project.id))
      .returning();
    await recordAudit(tx, {
      project: ctx.project,
      action: "project.update",
      target: { type: "project", id: ctx.project.id },
      before: { name: ctx.project.name, description: ctx.project.description },
      after: data,
    });
    return project!;
  });
}

export const setArchivedInput = z.object({ archived: z.boolean() });

/** Archiving makes a project read-only until it is unarchived. */
export async function setProjectArchived({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof setArchivedInput> }) {
  const { archived } = parseInput(setArchivedInput, input);
  return inTransaction(ctx, async (tx) => {
    const [project] = await tx.db
      .update(projects)
      .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(eq(projects.id, ctx.project.id))
      .returning();
    await recordAudit(tx, {
      project: ctx.project,
      action: archived ? "project.archive" : "project.unarchive",
      target: { type: "project", id: ctx.project.id },
    });
    return project!;
  });
}

export const deleteProjectInput = z.object({ confirmSlug: z.string() });

/** Deletes the project and everything in it; the caller must type the slug to confirm. */
export async function deleteProject({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof deleteProjectInput> }) {
  const { confirmSlug } = parseInput(deleteProjectInput, input);
  if (confirmSlug.trim() !== ctx.project.slug) {
    throw invalid(`Type '${ctx.project.slug}' to confirm`, { confirmSlug: `Type '${ctx.project.slug}' to confirm` });
  }
  await inTransaction(ctx, async (tx) => {
    // Bounded by the project's size, not by a request's time limit.
    await liftStatementTimeout(tx.db);
    await deleteProjectMetricPoints(tx.db, ctx.project.id);
    await tx.db.delete(projects).where(eq(projects.id, ctx.project.id));
    await recordAudit(tx, {
      project: ctx.project,
      action: "project.delete",
      target: { type: "project", id: ctx.project.id },
      before: { slug: ctx.project.slug, name: ctx.project.name },
    });
  });
  // After the commit: the files of a project that no longer exists are unreachable anyway.
  await deleteProjectArtifacts(ctx.project.id);
}

export const primaryMetricInput = z.object({
  key: z.string().trim().min(1, "Choose a metric").max(250).nullable(),
  goal: z.enum(["min", "max"], { error: "Choose whether lower or higher is better" }).default("max"),
  threshold: z.number().finite("The threshold must be a finite number").nullable().default(null),
});

/** The metric the project's leaderboard ranks runs by (null clears it). */
export async function setPrimaryMetric({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof primaryMetricInput> }) {
  const data = parseInput(primaryMetricInput, input);
  const values = data.key
    ? { primaryMetricKey: data.key, primaryMetricGoal: data.goal, primaryMetricThreshold: data.threshold }
    : { primaryMetricKey: null, primaryMetricGoal: null, primaryMetricThreshold: null };
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .update(projects)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(projects.id, ctx.project.id));
    await recordAudit(tx, {
      project: ctx.project,
      action: "project.set_primary_metric",
      target: { type: "project", id: ctx.project.id },
      before: { key: ctx.project.primaryMetricKey, goal: ctx.project.primaryMetricGoal, threshold: ctx.project.primaryMetricThreshold },
      after: { key: values.primaryMetricKey, goal: values.primaryMetricGoal, threshold: values.primaryMetricThreshold },
    });
  });
}
