"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";
import { configOf, initialValues, type RuleValues } from "./rule-form";
import { RuleKindFields } from "./rule-kind-fields";
import { KIND_LABELS, type AlertKind, type AlertRuleRow } from "./types";

/** Adds an alert rule or edits one (its kind stays): a name, the model it watches, and the kind's settings. */
export function RuleDialog(props: { slug: string; models: string[]; rule?: AlertRuleRow; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.alert.createRule.mutationOptions());
  const update = useMutation(trpc.alert.updateRule.mutationOptions());
  const editing = props.rule;
  const { form, formError, showError } = useServerForm<RuleValues>(initialValues(editing));
  const errors = form.formState.errors;
  const kind = form.watch("kind");
  const monitoring = KIND_LABELS[kind].monitoring;

  const submit = form.handleSubmit(async (values) => {
    const common = { projectSlug: props.slug, name: values.name, modelName: values.modelName || null, config: configOf(values) };
    try {
      if (editing) await update.mutateAsync({ ...common, ruleId: editing.id });
      else await create.mutateAsync(common);
      toast.success(editing ? "Rule saved" : "Rule added");
      props.onOpenChange(false);
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <Dialog open onOpenChange={props.onOpenChange} title={editing ? `Edit rule ${editing.name}` : "Add an alert rule"} description={KIND_LABELS[kind].hint}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label="Name" error={errors.name?.message}>
          <Input autoFocus placeholder="e.g. Champion drifts" {...form.register("name")} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Kind" hint={editing ? "A rule keeps its kind." : undefined}>
            <Select disabled={Boolean(editing)} {...form.register("kind")}>
              {(Object.keys(KIND_LABELS) as AlertKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k].label}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label={monitoring ? "Model" : "Model (optional)"}
            hint={monitoring ? "The model watched in production." : "Its watchers hear of the alerts too."}
          >
            <Select {...form.register("modelName")}>
              <option value="">{monitoring ? "Choose a model" : "No model"}</option>
              {props.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <RuleKindFields form={form} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={create.isPending || update.isPending}>
            {editing ? "Save" : "Add rule"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
