"use client";

import * as Tabs from "@radix-ui/react-tabs";
import { useMutation } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { CommentMarkdown } from "../collaboration/markdown";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Textarea } from "../ui/input";

const tabClass =
  "rounded-md px-2.5 py-1 text-sm font-medium text-stone-500 hover:text-stone-800 data-[state=active]:bg-stone-100 data-[state=active]:text-stone-900 dark:hover:text-stone-200 dark:data-[state=active]:bg-stone-800 dark:data-[state=active]:text-stone-100";

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
  const [tab, setTab] = useState("write");
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
        <Tabs.Root value={tab} onValueChange={setTab}>
          <Tabs.List aria-label="Notes: write or preview" className="mb-2 flex gap-1">
            <Tabs.Trigger value="write" className={tabClass}>
              Write
            </Tabs.Trigger>
            <Tabs.Trigger value="preview" className={tabClass}>
              Preview
            </Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="write" forceMount hidden={tab !== "write"}>
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
          </Tabs.Content>
          <Tabs.Content value="preview" className="min-h-40 rounded-md border border-stone-200 px-3 py-2 dark:border-stone-700">
            {draft.trim() ? <CommentMarkdown source={draft} /> : <p className="text-sm text-stone-500">Nothing to preview.</p>}
          </Tabs.Content>
        </Tabs.Root>
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
