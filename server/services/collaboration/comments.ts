import { and, asc, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { effectivePermissions, requireUser } from "../../access/authorize";
import type { UserActor } from "../../access/actor";
import { inTransaction, type ProjectContext } from "../../context";
import {
  COMMENT_SUBJECTS,
  comments,
  modelVersions,
  projectMembers,
  promotionRequests,
  registeredModels,
  users,
  watches,
  type CommentSubject,
} from "../../db/schema";
import { conflict, DomainError, forbidden, notFound, parseInput } from "../../errors";
import { recordAudit } from "../audit";
import { publish, type Subject } from "../events";
import { uuidField } from "../fields";
import { runIdOf } from "../tracking/ids";
import { runById } from "../tracking/runs";
import { plainExcerpt } from "./excerpt";
import { MAX_MENTIONS, parseMentions } from "./mentions";

/**
 * What a thread hangs on: a run (its 32-hex id), a model version (its uuid) or a promotion request
 * (its number in the project). Anything else, or an object of another project, is not found.
 */
const commentSubjectField = z.object({
  type: z.enum(COMMENT_SUBJECTS),
  id: z.union([z.string().trim().min(1).max(100), z.number().int()]).transform(String),
});

const bodyField = z
  .string()
  .trim()
  .min(1, "Write something first")
  .max(20_000, "Keep comments under 20,000 characters")
  .refine((body) => parseMentions(body).length <= MAX_MENTIONS, `Mention at most ${MAX_MENTIONS} people in one comment`);

/** A subject found in this project, with what notifications about it need. */
type ResolvedSubject = {
  type: CommentSubject;
  /** The canonical id stored on comments. */
  id: string;
  /** How people call it: "run bold-owl-12", "fraud-model v3", "promotion request #7". */
  label: string;
  path: string;
  /** Whose watchers hear about new comments. */
  watched: Subject[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function resolveSubject(ctx: ProjectContext, subject: { type: CommentSubject; id: string }): Promise<ResolvedSubject> {
  const base = `/p/${ctx.project.slug}`;
  const project: Subject = { type: "project", id: ctx.project.id };
  switch (subject.type) {
    case "run": {
      const run = await runById(ctx, subject.id);
      const id = runIdOf(run.id);
      return { type: "run", id, label: `run ${run.name}`, path: `${base}/runs/${id}`, watched: [project] };
    }
    case "model_version": {
      const id = subject.id.toLowerCase();
      const [row] = UUID.test(id)
        ? await ctx.db
            .select({ version: modelVersions.version, modelId: registeredModels.id, model: registeredModels.name })
            .from(modelVersions)
            .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
            .where(and(eq(modelVersions.id, id), eq(modelVersions.projectId, ctx.project.id)))
        : [];
      if (!row) throw notFound(`Model version '${subject.id}' not found`);
      return {
        type: "model_version",
        id,
        label: `${row.model} v${row.version}`,
        path: `${base}/models/${encodeURIComponent(row.model)}/versions/${row.version}`,
        watched: [{ type: "registered_model", id: row.modelId }, project],
      };
    }
    case "promotion_request": {
      const number = /^\d{1,9}$/.test(subject.id) ? Number(subject.id) : null;
      const [row] = number
        ? await ctx.db
            .select({ number: promotionRequests.number, modelId: promotionRequests.modelId })
            .from(promotionRequests)
            .where(and(eq(promotionRequests.projectId, ctx.project.id), eq(promotionRequests.number, number)))
        : [];
      if (!row) throw notFound(`Promotion request '${subject.id}' not found`);
      return {
        type: "promotion_request",
        id: String(row.number),
        label: `promotion request #${row.number}`,
        path: `${base}/promotions/${row.number}`,
        watched: [{ type: "registered_model", id: row.modelId }, project],
      };
    }
  }
}

export type CommentView = {
  id: string;
  parentId: string | null;
  author: { id: string; name: string } | null;
  /** Markdown; empty once deleted. */
  body: string;
  deleted: boolean;
  createdAt: Date;
  editedAt: Date | null;
  /** Whether the caller may edit or delete it (its author, or a moderator). */
  canEdit: boolean;
  replies: CommentView[];
};

const commentColumns = {
  id: comments.id,
  parentId: comments.parentId,
  authorId: comments.authorId,
  authorName: users.name,
  body: comments.body,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  deletedAt: comments.deletedAt,
};
type CommentRow = {
  id: string;
  parentId: string | null;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
};

function mayChange(actor: UserActor, permissions: Set<string>, authorId: string | null): boolean {
  if (!permissions.has("comment.write")) return false;
  return authorId === actor.user.id || permissions.has("comment.moderate");
}

function present(row: CommentRow, canEdit: boolean): CommentView {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    parentId: row.parentId,
    author: row.authorId ? { id: row.authorId, name: row.authorName ?? "Unknown" } : null,
    body: deleted ? "" : row.body,
    deleted,
    createdAt: row.createdAt,
    editedAt: deleted ? null : row.editedAt,
    canEdit: !deleted && canEdit,
    replies: [],
  };
}

export const listCommentsInput = z.object({ subject: commentSubjectField });

/**
 * A subject's discussion, oldest first: top-level comments with their replies (one level), deleted
 * ones kept in place as "deleted" so replies keep their context. `people` names the mentioned
 * members (a label is only what the author typed); `canComment` tells the page whether to offer
 * the composer.
 */
export async function listComments({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof listCommentsInput> }) {
  const data = parseInput(listCommentsInput, input);
  const actor = requireUser(ctx);
  const subject = await resolveSubject(ctx, data.subject);
  const rows = await ctx.db
    .select(commentColumns)
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.projectId, ctx.project.id), eq(comments.subjectType, subject.type), eq(comments.subjectId, subject.id)))
    .orderBy(asc(comments.createdAt), asc(comments.id));

  const permissions = effectivePermissions(actor, ctx);
  const views = new Map(rows.map((row) => [row.id, present(row, mayChange(actor, permissions, row.authorId))]));
  const threads: CommentView[] = [];
  for (const view of views.values()) {
    const parent = view.parentId ? views.get(view.parentId) : undefined;
    if (parent) parent.replies.push(view);
    else threads.push(view);
  }

  const mentioned = [...new Set(rows.filter((r) => !r.deletedAt).flatMap((r) => parseMentions(r.body)))];
  const people = mentioned.length
    ? await ctx.db
        .select({ id: users.id, name: users.name })
        .from(users)
        .innerJoin(projectMembers, and(eq(projectMembers.userId, users.id), eq(projectMembers.projectId, ctx.project.id)))
        .where(inArray(users.id, mentioned))
    : [];

  return {
    subject: { type: subject.type, id: subject.id },
    comments: threads,
    people: Object.fromEntries(people.map((p) => [p.id, p.name])) as Record<string, string>,
    canComment: permissions.has("comment.write"),
  };
}

/** Watchers of the subject's model or project, who hear about every new comment on it. */
async function watchersOf(ctx: ProjectContext, subject: ResolvedSubject): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ userId: watches.userId })
    .from(watches)
    .where(and(eq(watches.projectId, ctx.project.id), or(...subject.watched.map((w) => and(eq(watches.subjectType, w.type), eq(watches.subjectId, w.id))))));
  return rows.map((r) => r.userId);
}

/** Tells the newly mentioned people, and (for a new comment) the watchers who were not mentioned. */
async function announce(ctx: ProjectContext, actor: UserActor, subject: ResolvedSubject, body: string, mentioned: string[], isNew: boolean) {
  const excerpt = plainExcerpt(body);
  if (mentioned.length) {
    await publish(ctx, {
      project: ctx.project,
      kind: "mention",
      title: `${actor.user.name} mentioned you on ${subject.label}`,
      body: excerpt,
      path: subject.path,
      to: mentioned,
    });
  }
  if (!isNew) return;
  const watchers = (await watchersOf(ctx, subject)).filter((id) => !mentioned.includes(id));
  if (watchers.length) {
    await publish(ctx, {
      project: ctx.project,
      kind: "comment",
      title: `${actor.user.name} commented on ${subject.label}`,
      body: excerpt,
      path: subject.path,
      to: watchers,
    });
  }
}

export const createCommentInput = z.object({
  subject: commentSubjectField,
  body: bodyField,
  /** Replying: the comment answered. A reply to a reply joins the same thread. */
  parentId: uuidField.optional(),
});

/**
 * Adds a comment (or a reply) to a subject of this project. The mentioned people who are members
 * are notified, then the watchers of the subject's model or project; nobody else hears of it.
 */
export async function createComment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof createCommentInput> }): Promise<CommentView> {
  const data = parseInput(createCommentInput, input);
  const actor = requireUser(ctx);
  const subject = await resolveSubject(ctx, data.subject);
  let parentId: string | null = null;
  if (data.parentId) {
    const [parent] = await ctx.db
      .select({ id: comments.id, parentId: comments.parentId, deletedAt: comments.deletedAt })
      .from(comments)
      .where(
        and(eq(comments.id, data.parentId), eq(comments.projectId, ctx.project.id), eq(comments.subjectType, subject.type), eq(comments.subjectId, subject.id)),
      );
    if (!parent) throw notFound("The comment you reply to was not found");
    if (parent.deletedAt) throw conflict("The comment you reply to was deleted");
    parentId = parent.parentId ?? parent.id;
  }

  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(comments)
      .values({ projectId: ctx.project.id, subjectType: subject.type, subjectId: subject.id, parentId, authorId: actor.user.id, body: data.body })
      .returning();
    await announce(tx, actor, subject, data.body, parseMentions(data.body), true);
    return present({ ...row!, authorName: actor.user.name }, true);
  });
}

/** Locks a comment of this project that the caller may change, or refuses. */
async function changeableComment(ctx: ProjectContext, commentId: string) {
  const actor = requireUser(ctx);
  const [row] = await ctx.db
    .select()
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.projectId, ctx.project.id)))
    .for("update");
  if (!row) throw notFound("Comment not found");
  if (row.deletedAt) throw conflict("This comment was deleted");
  if (!mayChange(actor, effectivePermissions(actor, ctx), row.authorId)) {
    throw forbidden("Only its author or a maintainer may change this comment");
  }
  return { actor, row };
}

export const editCommentInput = z.object({ commentId: uuidField, body: bodyField });

/**
 * Replaces a comment's text (its author, or someone holding `comment.moderate`). People mentioned
 * for the first time are notified; a moderator's edit is kept in the audit trail with both texts.
 */
export async function editComment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof editCommentInput> }): Promise<CommentView> {
  const data = parseInput(editCommentInput, input);
  return inTransaction(ctx, async (tx) => {
    const { actor, row } = await changeableComment(tx, data.commentId);
    const [author] = row.authorId ? await tx.db.select({ name: users.name }).from(users).where(eq(users.id, row.authorId)) : [];
    if (row.body === data.body) return present({ ...row, authorName: author?.name ?? null }, true);
    const [updated] = await tx.db
      .update(comments)
      .set({ body: data.body, editedAt: new Date() })
      .where(and(eq(comments.id, row.id), eq(comments.projectId, ctx.project.id)))
      .returning();
    await recordAudit(tx, {
      project: ctx.project,
      action: "comment.edit",
      target: { type: "comment", id: row.id },
      before: { body: row.body, authorId: row.authorId },
      after: { body: data.body },
    });
    const before = new Set(parseMentions(row.body));
    const added = parseMentions(data.body).filter((id) => !before.has(id));
    if (added.length) {
      const subject = await resolveSubject(tx, { type: row.subjectType, id: row.subjectId }).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === "not_found") return null;
        throw error;
      });
      if (subject) await announce(tx, actor, subject, data.body, added, false);
    }
    return present({ ...updated!, authorName: author?.name ?? null }, true);
  });
}

export const deleteCommentInput = z.object({ commentId: uuidField });

/**
 * Deletes a comment softly: its place in the thread (and its replies) stay, its text is no longer
 * shown. The text is kept in the audit trail, for moderation disputes.
 */
export async function deleteComment({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof deleteCommentInput> }) {
  const data = parseInput(deleteCommentInput, input);
  await inTransaction(ctx, async (tx) => {
    const { row } = await changeableComment(tx, data.commentId);
    await tx.db
      .update(comments)
      .set({ deletedAt: new Date() })
      .where(and(eq(comments.id, row.id), eq(comments.projectId, ctx.project.id)));
    await recordAudit(tx, {
      project: ctx.project,
      action: "comment.delete",
      target: { type: "comment", id: row.id },
      before: { body: row.body, authorId: row.authorId, subject: `${row.subjectType}:${row.subjectId}` },
    });
  });
  return { commentId: data.commentId };
}
