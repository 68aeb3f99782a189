"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { targetText } from "../registry/format";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import type { RuleRow } from "./types";

/** Confirms, then stops protecting a rule's target; the rule's history stays in the audit log. */
export function DeleteRuleDialog({ slug, row, onOpenChange }: { slug: string; row: RuleRow; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.promotion.deleteRule.mutationOptions());
  const [error, setError] = useState<string>();
  const label = targetText({ kind: row.rule.targetKind, name: row.rule.targetName });
  return (
    <Dialog
      open
      onOpenChange={onOpenChange}
      title={`Stop protecting ${label}?`}
      description={`Anyone with model write access will be able to move ${label}${row.modelName ? ` of ${row.modelName}` : ""} directly. Open requests keep the revision they were opened under; the rule's history stays in the audit log.`}
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
                await remove.mutateAsync({ projectSlug: slug, ruleId: row.rule.id });
                toast.success(`${label} is no longer protected`);
                onOpenChange(false);
                router.refresh();
              } catch (err) {
                setError(errorDetails(err).message);
              }
            }}
          >
            Stop protecting
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
