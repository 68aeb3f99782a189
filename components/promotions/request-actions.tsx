"use client";

import { useMutation } from "@tanstack/react-query";
import { Ban } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { EditableMarkdown } from "../registry/editable-markdown";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";

/** Withdraws an open request (its requester, or a reviewer), after a confirmation. */
export function CancelRequestButton({ slug, number }: { slug: string; number: number }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.promotion.cancel.mutationOptions());
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} className="w-full">
        <Ban className="size-3.5" aria-hidden /> Cancel request
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Cancel request #${number}?`}
        description="The request closes without changing the target. Its reviews and discussion stay on record."
        keepLabel="Keep it open"
        confirmLabel="Cancel request"
        done={`Request #${number} cancelled`}
        confirm={() => cancel.mutateAsync({ projectSlug: slug, number })}
      />
    </>
  );
}

/** The request's justification, which its requester may refine while it is open. */
export function Justification({ slug, number, justification, editable }: { slug: string; number: number; justification: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.promotion.updateJustification.mutationOptions());
  return (
    <EditableMarkdown
      label="Justification"
      content={justification}
      editable={editable}
      placeholder="Why this version should serve: what improved, what you checked."
      empty={editable ? "No justification given. Tell the reviewers why this version should serve." : "No justification given."}
      save={async (text) => {
        await update.mutateAsync({ projectSlug: slug, number, justification: text });
        router.refresh();
      }}
    />
  );
}
