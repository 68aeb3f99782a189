"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { errorDetails } from "../trpc";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { FormError } from "./field";
import { useOnOpen } from "./use-on-open";

/**
 * Asks before a change that cannot be taken back: a button that keeps things as they are, and a
 * danger button that runs `confirm`, then says `done`, closes and refreshes the page; a refusal is
 * shown in the dialog, which stays open.
 */
export function ConfirmDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  done: string;
  confirm: () => Promise<unknown>;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  useOnOpen(props.open, () => setError(undefined));
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title={props.title} description={props.description}>
      <div className="space-y-4">
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            {props.keepLabel}
          </Button>
          <Button
            variant="danger"
            pending={pending}
            onClick={async () => {
              setPending(true);
              try {
                await props.confirm();
                toast.success(props.done);
                props.onOpenChange(false);
                router.refresh();
              } catch (err) {
                setError(errorDetails(err).message);
              } finally {
                setPending(false);
              }
            }}
          >
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
