"use client";

import { useMutation } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { CommentMarkdown } from "../collaboration/markdown";
import { MarkdownTabs, type MarkdownTab } from "../collaboration/markdown-tabs";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Textarea } from "../ui/input";

/**
 * A run's notes, rendered as sanitized markdown. Members who may log runs edit them in a Write tab
 * with a Preview beside it; Ctrl/⌘+Enter saves, Escape cancels.
 */
export function RunNotes(props: { slug: string; runId: string; content: string; editable: boolean }) {
  const id = useId();
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.run.setNotes.mutationOptions());
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState<MarkdownTab>("write");
  const [draft, setDraft] = useState(props.content);

  const cancel = () => (setEditing(false), setDraft(props.content), setTab("write"));
  async function submit() {
    try {
      await save.mutateAsync({ projectSlug: props.slug, runId: props.runId, content: draft });
      setEditing(false);
      setTab("write");
      router.refresh();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  if (editing) {
    return (
      <div className="space-y-2">
        <MarkdownTabs
          label="Notes"
          tab={tab}
          onTabChange={setTab}
          preview={draft.trim() ? <CommentMarkdown source={draft} /> : undefined}
          previewClassName="min-h-40"
        >
          <label htmlFor={`${id}-notes`} className="sr-only">
            Notes (markdown)
          </label>
          <Textarea
            id={`${id}-notes`}
            rows={Math.min(18, Math.max(8, draft.split("\n").length + 1))}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                void submit();
              }
              if (e.key === "Escape") {
                e.preventDefault();
                cancel();
              }
            }}
            placeholder="What was this run about? Markdown works: **bold**, lists, tables, `code`, [links](https://…)"
            className="font-mono text-[13px] leading-relaxed"
            autoFocus
          />
        </MarkdownTabs>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="text-xs text-stone-500 dark:text-stone-400">
            Markdown supported · Ctrl+Enter to save · saved as the run&apos;s mlflow.note.content tag
          </span>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={cancel}>
              Cancel
            </Button>
            <Button pending={save.isPending} onClick={submit}>
              Save notes
            </Button>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      {props.content.trim() ? <CommentMarkdown source={props.content} /> : <p className="text-sm text-stone-500 dark:text-stone-400">No notes yet.</p>}
      {props.editable && (
        <Button size="sm" variant="secondary" onClick={() => (setDraft(props.content), setEditing(true))}>
          <Pencil className="size-3.5" aria-hidden /> Edit notes
        </Button>
      )}
    </div>
  );
}
