"use client";

import { useMutation } from "@tanstack/react-query";
import { Ban } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { EditableMarkdown } from "../registry/editable-markdown";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";

/** Withdraws an open request (its requester, or a reviewer), after a confirmation. */
export function CancelRequestButton({ slug, number }: { slug: string; number: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const cancel = useMutation(trpc.promotion.cancel.mutationOptions());
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => (setError(undefined), setOpen(true))} className="w-full">
        <Ban className="size-3.5" aria-hidden /> Cancel request
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Cancel request #${number}?`}
        description="The request closes without changing the target. Its reviews and discussion stay on record."
      >
        <div className="space-y-4">
          <FormError message={error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Keep it open
            </Button>
            <Button
              variant="danger"
              pending={cancel.isPending}
              onClick={async () => {
                try {
                  await cancel.mutateAsync({ projectSlug: slug, number });
                  setOpen(false);
                  toast.success(`Request #${number} cancelled`);
                  router.refresh();
                } catch (err) {
                  setError(errorDetails(err).message);
                }
              }}
            >
              Cancel request
            </Button>
          </div>
        </div>
      </Dialog>
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
