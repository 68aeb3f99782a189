"use client";

import { useMutation } from "@tanstack/react-query";
import { BellPlus, Pencil, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { RuleDialog } from "./rule-dialog";
import { KIND_LABELS, ruleSummary, type AlertRuleRow } from "./types";

/** The project's alert rules; maintainers add, edit, switch off and delete them, everyone else reads them. */
export function RulesPanel(props: { slug: string; rules: AlertRuleRow[]; models: string[]; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState<AlertRuleRow | "new" | null>(null);
  const update = useMutation(trpc.alert.updateRule.mutationOptions());
  const remove = useMutation(trpc.alert.deleteRule.mutationOptions());
  const [deleting, setDeleting] = useState<AlertRuleRow | null>(null);

  async function act(run: () => Promise<unknown>, done: string) {
    try {
      await run();
      toast.success(done);
      router.refresh();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Rules"
        description={
          props.canManage
            ? "When a rule holds for a target, a feature or a run, an alert opens; it resolves when the rule stops holding."
            : "Maintainers manage the rules."
        }
        actions={
          props.canManage ? (
            <Button size="sm" onClick={() => setEditing("new")}>
              <BellPlus className="size-4" aria-hidden /> Add rule
            </Button>
          ) : undefined
        }
      />
      {props.rules.length ? (
        <ul className="divide-y divide-stone-200 dark:divide-stone-800">
          {props.rules.map((rule) => (
            <li key={rule.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5">
              <div className="min-w-0 space-y-0.5">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-sm font-medium">{rule.name}</span>
                  <Badge tone="brand">{KIND_LABELS[rule.kind].label}</Badge>
                  {rule.modelName && <Badge>{rule.modelName}</Badge>}
                  {!rule.enabled && <Badge tone="amber">off</Badge>}
                </div>
                <p className="text-xs text-stone-500 dark:text-stone-400">{ruleSummary(rule)}</p>
              </div>
              {props.canManage && (
                <div className="flex shrink-0 gap-1.5">
                  <Button
                    variant="secondary"
                    size="sm"
                    pending={update.isPending && update.variables?.ruleId === rule.id}
                    onClick={() =>
                      act(
                        () => update.mutateAsync({ projectSlug: props.slug, ruleId: rule.id, enabled: !rule.enabled }),
                        rule.enabled ? "Rule switched off" : "Rule switched on",
                      )
                    }
                  >
                    {rule.enabled ? "Switch off" : "Switch on"}
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={`Edit ${rule.name}`} onClick={() => setEditing(rule)}>
                    <Pencil className="size-4" aria-hidden />
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={`Delete ${rule.name}`} onClick={() => setDeleting(rule)}>
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <div className="p-5">
          <EmptyState
            title="No alert rules yet"
            description="Watch a model in production (drift, decay, no traffic) or training runs (a failed run, a metric crossing a threshold)."
          />
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setDeleting(null)}
          title={`Delete the rule ${deleting.name}?`}
          description="Its alerts, open and resolved, go with it; switch it off instead to keep them. The audit log keeps the rule's history."
          keepLabel="Keep the rule"
          confirmLabel="Delete rule"
          done="Rule deleted"
          confirm={() => remove.mutateAsync({ projectSlug: props.slug, ruleId: deleting.id })}
        />
      )}
      {editing && (
        <RuleDialog slug={props.slug} models={props.models} rule={editing === "new" ? undefined : editing} onOpenChange={(open) => !open && setEditing(null)} />
      )}
    </Card>
  );
}
