"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MessageSquare } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import type { CommentView } from "@/server/services/collaboration/comments";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Time } from "../ui/time";
import { CommentComposer } from "./comment-composer";
import { CommentMarkdown } from "./markdown";
import type { Person } from "./mention-syntax";

export type CommentSubjectRef = { type: "run" | "model_version" | "promotion_request"; id: string };

/**
 * The discussion of one subject (a run, a model version, a promotion request): comments with one
 * level of replies, edit and delete for their authors and moderators, and a composer for those who
 * may comment.
 */
export function CommentThread({ slug, subject }: { slug: string; subject: CommentSubjectRef }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { projectSlug: slug, subject };
  const thread = useQuery(trpc.comment.list.queryOptions(input));
  const canComment = thread.data?.canComment ?? false;
  const members = useQuery({ ...trpc.member.list.queryOptions({ projectSlug: slug }), enabled: canComment, staleTime: 5 * 60_000 });
  const people = useMemo<Person[]>(() => (members.data ?? []).map((m) => ({ id: m.userId, name: m.name, email: m.email })), [members.data]);
  const create = useMutation(trpc.comment.create.mutationOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.comment.list.queryKey(input) });

  async function post(body: string, parentId?: string): Promise<boolean> {
    try {
      await create.mutateAsync({ ...input, body, parentId });
      await refresh();
      return true;
    } catch (error) {
      toast.error(errorDetails(error).message);
      return false;
    }
  }

  if (thread.isPending) return <p className="text-sm text-stone-500">Loading the discussion…</p>;
  if (thread.isError) return <p className="text-sm text-red-600">{errorDetails(thread.error).message}</p>;
  const { comments, people: names } = thread.data;
  const shared = { slug, people, names, canComment, post, refresh };

  return (
    <div className="space-y-5">
      {comments.length ? (
        <ol className="space-y-5" aria-label="Comments">
          {comments.map((comment) => (
            <CommentItem key={comment.id} comment={comment} {...shared} />
          ))}
        </ol>
      ) : (
        <div className="flex items-center gap-2 text-sm text-stone-500">
          <MessageSquare className="size-4" aria-hidden /> No comments yet.{canComment ? " Start the discussion below." : ""}
        </div>
      )}
      {canComment ? (
        <div className="border-t border-stone-200 pt-4 dark:border-stone-800">
          <CommentComposer label="New comment" people={people} knownNames={names} submitLabel="Comment" onSubmit={(body) => post(body)} />
        </div>
      ) : (
        <p className="text-xs text-stone-500">Your role lets you read the discussion; contributors and above can comment.</p>
      )}
    </div>
  );
}

type Shared = {
  slug: string;
  people: Person[];
  names: Record<string, string>;
  canComment: boolean;
  post: (body: string, parentId?: string) => Promise<boolean>;
  refresh: () => Promise<void>;
};

function CommentItem({ comment, isReply = false, ...shared }: Shared & { comment: CommentView; isReply?: boolean }) {
  const trpc = useTRPC();
  const edit = useMutation(trpc.comment.edit.mutationOptions());
  const remove = useMutation(trpc.comment.delete.mutationOptions());
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete">("view");
  const [replying, setReplying] = useState(false);
  const author = comment.author?.name ?? "Former user";

  async function save(body: string): Promise<boolean> {
    try {
      await edit.mutateAsync({ projectSlug: shared.slug, commentId: comment.id, body });
      await shared.refresh();
      setMode("view");
      return true;
    } catch (error) {
      toast.error(errorDetails(error).message);
      return false;
    }
  }

  async function destroy() {
    try {
      await remove.mutateAsync({ projectSlug: shared.slug, commentId: comment.id });
      await shared.refresh();
      toast.success("Comment deleted");
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
    setMode("view");
  }

  return (
    <li className="flex gap-3" aria-label={comment.deleted ? "Deleted comment" : `Comment by ${author}`}>
      <Avatar name={comment.deleted ? "" : author} small={isReply} />
      <div className="min-w-0 flex-1">
        {comment.deleted ? (
          <p className="py-1 text-sm text-stone-400 italic">This comment was deleted.</p>
        ) : (
          <>
            <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
              <span className="font-medium">{author}</span>
              <span className="text-xs text-stone-500">
                <Time value={comment.createdAt} />
                {comment.editedAt && <span title={`Edited ${new Date(comment.editedAt).toISOString()}`}>{" · "}edited</span>}
              </span>
            </div>
            {mode === "edit" ? (
              <div className="mt-2">
                <CommentComposer
                  label="Edit comment"
                  people={shared.people}
                  knownNames={shared.names}
                  initial={comment.body}
                  submitLabel="Save"
                  autoFocus
                  onSubmit={save}
                  onCancel={() => setMode("view")}
                />
              </div>
            ) : (
              <CommentMarkdown source={comment.body} people={shared.names} className="mt-1" />
            )}
            {mode === "view" && (shared.canComment || comment.canEdit) && (
              <div className="mt-1.5 flex gap-1">
                {!isReply && shared.canComment && (
                  <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setReplying(true)}>
                    Reply
                  </Button>
                )}
                {comment.canEdit && (
                  <>
                    <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setMode("edit")}>
                      Edit
                    </Button>
                    <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setMode("confirm-delete")}>
                      Delete
                    </Button>
                  </>
                )}
              </div>
            )}
            {mode === "confirm-delete" && (
              <div
                role="alertdialog"
                aria-label="Delete this comment?"
                className="mt-2 flex flex-wrap items-center gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm dark:border-red-900 dark:bg-red-950/40"
              >
                <span>Delete this comment? Replies stay.</span>
                <Button size="sm" variant="danger" pending={remove.isPending} onClick={destroy} autoFocus>
                  Delete
                </Button>
                <Button size="sm" variant="secondary" onClick={() => setMode("view")}>
                  Cancel
                </Button>
              </div>
            )}
          </>
        )}
        {(comment.replies.length > 0 || replying) && (
          <div className="mt-3 space-y-4 border-l-2 border-stone-200 pl-4 dark:border-stone-800">
            {comment.replies.length > 0 && (
              <ol className="space-y-4" aria-label={`Replies to ${comment.deleted ? "a deleted comment" : author}`}>
                {comment.replies.map((reply) => (
                  <CommentItem key={reply.id} comment={reply} isReply {...shared} />
                ))}
              </ol>
            )}
            {replying && (
              <CommentComposer
                label={`Reply to ${author}`}
                people={shared.people}
                knownNames={shared.names}
                submitLabel="Reply"
                placeholder="Write a reply…"
                autoFocus
                onSubmit={async (body) => {
                  const ok = await shared.post(body, comment.id);
                  if (ok) setReplying(false);
                  return ok;
                }}
                onCancel={() => setReplying(false)}
              />
            )}
          </div>
        )}
      </div>
    </li>
  );
}

function Avatar({ name, small }: { name: string; small?: boolean }) {
  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <span
      aria-hidden
      className={`inline-flex shrink-0 items-center justify-center rounded-full bg-stone-200 font-semibold text-stone-600 dark:bg-stone-800 dark:text-stone-300 ${small ? "size-6 text-[10px]" : "size-8 text-xs"}`}
    >
      {initials || "·"}
    </span>
  );
}
