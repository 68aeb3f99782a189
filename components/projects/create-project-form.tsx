"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Textarea } from "../ui/input";

type Values = { name: string; slug: string; description: string };

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

export function CreateProjectForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const { form, formError, showError } = useServerForm<Values>({ name: "", slug: "", description: "" });
  const create = useMutation(trpc.project.create.mutationOptions());
  const errors = form.formState.errors;
  const slugEdited = form.formState.dirtyFields.slug;

  const submit = form.handleSubmit(async (values) => {
    try {
      const project = await create.mutateAsync(values);
      router.push(`/p/${project.slug}`);
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field label="Name" error={errors.name?.message}>
        <Input
          autoFocus
          {...form.register("name", {
            onChange: (e) => {
              if (!slugEdited) form.setValue("slug", slugify(e.target.value));
            },
          })}
        />
      </Field>
      <Field label="Slug" error={errors.slug?.message} hint="Lower-case letters, digits and hyphens. It cannot be changed later.">
        <Input className="font-mono" {...form.register("slug")} />
      </Field>
      <Field label="Description" error={errors.description?.message}>
        <Textarea rows={3} {...form.register("description")} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={create.isPending}>
          Create project
        </Button>
      </div>
    </form>
  );
}
