"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import type { AlertRuleRow } from "./types";

/** Confirms, then deletes a rule with its alerts; the rule's history stays in the audit log. */
export function DeleteAlertRuleDialog({ slug, rule, onOpenChange }: { slug: string; rule: AlertRuleRow; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.alert.deleteRule.mutationOptions());
  const [error, setError] = useState<string>();
  return (
    <Dialog
      open
      onOpenChange={onOpenChange}
      title={`Delete the rule ${rule.name}?`}
      description="Its alerts, open and resolved, go with it; switch it off instead to keep them. The audit log keeps the rule's history."
    >
      <div className="space-y-4">
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Keep the rule
          </Button>
          <Button
            variant="danger"
            pending={remove.isPending}
            onClick={async () => {
              try {
                await remove.mutateAsync({ projectSlug: slug, ruleId: rule.id });
                toast.success("Rule deleted");
                onOpenChange(false);
                router.refresh();
              } catch (err) {
                setError(errorDetails(err).message);
              }
            }}
          >
            Delete rule
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
