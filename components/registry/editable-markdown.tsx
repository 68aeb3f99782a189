"use client";

import { Pencil } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { CommentMarkdown } from "../collaboration/markdown";
import { errorDetails } from "../trpc";
import { Button } from "../ui/button";
import { Textarea } from "../ui/input";

/**
 * Markdown shown rendered, with an inline editor for those allowed: "Edit" turns it into a text area
 * (Ctrl/⌘+Enter saves, Escape cancels), and the page refreshes after a save.
 */
export function EditableMarkdown(props: {
  content: string;
  editable: boolean;
  label: string;
  empty: ReactNode;
  placeholder?: string;
  save: (content: string) => Promise<void>;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.content);
  const [pending, setPending] = useState(false);

  async function submit() {
    setPending(true);
    try {
      await props.save(draft);
      setEditing(false);
    } catch (error) {
      toast.error(errorDetails(error).message);
    } finally {
      setPending(false);
    }
  }

  if (editing) {
    return (
      <div className="space-y-2">
        <label htmlFor={id} className="text-sm font-medium">
          {props.label} <span className="font-normal text-stone-500">(markdown)</span>
        </label>
        <Textarea
          id={id}
          rows={Math.min(18, Math.max(6, draft.split("\n").length + 1))}
          value={draft}
          placeholder={props.placeholder}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit();
            if (e.key === "Escape") {
              setEditing(false);
              setDraft(props.content);
            }
          }}
          className="font-mono text-[13px] leading-relaxed"
          autoFocus
        />
        <div className="flex items-center justify-between gap-2">
          <span className="text-xs text-stone-500">Markdown: **bold**, lists, tables, `code`, [links](https://…)</span>
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => (setEditing(false), setDraft(props.content))}>
              Cancel
            </Button>
            <Button size="sm" pending={pending} onClick={submit}>
              Save
            </Button>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="group relative">
      {props.content.trim() ? <CommentMarkdown source={props.content} /> : <div className="text-sm text-stone-500 dark:text-stone-400">{props.empty}</div>}
      {props.editable && (
        <Button
          size="sm"
          variant="ghost"
          className="mt-2 -ml-2 text-stone-500"
          onClick={() => (setDraft(props.content), setEditing(true))}
          aria-label={`Edit ${props.label.toLowerCase()}`}
        >
          <Pencil className="size-3.5" aria-hidden /> Edit
        </Button>
      )}
    </div>
  );
}
