"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Textarea } from "../ui/input";

type Values = { name: string; description: string };

export function ProjectSettingsForm(props: { slug: string; name: string; description: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { form, formError, showError } = useServerForm<Values>({ name: props.name, description: props.description });
  const update = useMutation(trpc.project.update.mutationOptions());
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync({ projectSlug: props.slug, ...values });
      form.reset(values);
      toast.success("Project updated");
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field label="Name" error={errors.name?.message}>
        <Input disabled={!props.editable} {...form.register("name")} />
      </Field>
      <Field label="Slug" hint="Used in URLs and MLFLOW_TRACKING_URI; fixed at creation.">
        <Input value={props.slug} readOnly disabled className="font-mono" />
      </Field>
      <Field label="Description" error={errors.description?.message}>
        <Textarea rows={4} disabled={!props.editable} {...form.register("description")} />
      </Field>
      {props.editable && (
        <div className="flex justify-end">
          <Button type="submit" pending={update.isPending} disabled={!form.formState.isDirty}>
            Save changes
          </Button>
        </div>
      )}
    </form>
  );
}
