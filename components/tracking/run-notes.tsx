"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Textarea } from "../ui/input";

/** A run's markdown notes; members who may log runs can edit them. */
export function RunNotes(props: { slug: string; runId: string; content: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.run.setNotes.mutationOptions());
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.content);

  if (editing) {
    return (
      <div className="space-y-2">
        <label htmlFor="run-notes" className="sr-only">
          Notes (markdown)
        </label>
        <Textarea id="run-notes" rows={8} value={draft} onChange={(e) => setDraft(e.target.value)} className="font-mono" autoFocus />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => (setEditing(false), setDraft(props.content))}>
            Cancel
          </Button>
          <Button
            pending={save.isPending}
            onClick={async () => {
              try {
                await save.mutateAsync({ projectSlug: props.slug, runId: props.runId, content: draft });
                setEditing(false);
                router.refresh();
              } catch (error) {
                toast.error(errorDetails(error).message);
              }
            }}
          >
            Save notes
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      {props.content ? (
        <div className="text-sm whitespace-pre-wrap">{props.content}</div>
      ) : (
        <p className="text-sm text-stone-500">No notes yet.</p>
      )}
      {props.editable && (
        <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
          Edit notes
        </Button>
      )}
    </div>
  );
}
