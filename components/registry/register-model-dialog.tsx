"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { useOnOpen } from "../ui/use-on-open";
import { versionHref } from "./format";
import { applyServerErrors } from "./server-errors";

type Values = { name: string };

/** The project's registered models whose names contain what is typed, for the name field's suggestions. */
function useModelNames(slug: string, typed: string, enabled: boolean) {
  const trpc = useTRPC();
  const query = useDeferredValue(typed.trim());
  const { data } = useQuery({ ...trpc.registry.models.queryOptions({ projectSlug: slug, query: query || undefined, limit: 200 }), enabled });
  return data?.models.map((m) => m.name) ?? [];
}

/**
 * Registers a logged model as a version of a registered model: one the project has (the name
 * field suggests them), or a new one of the typed name. On success the reader lands on the version.
 */
export function RegisterModelDialog(props: { slug: string; modelId: string; suggestedName: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const register = useMutation(trpc.registry.registerLoggedModel.mutationOptions());
  const form = useForm<Values>({ defaultValues: { name: props.suggestedName } });
  const [formError, setFormError] = useState<string>();
  const listId = useId();
  const typed = form.watch("name");
  const names = useModelNames(props.slug, typed, props.open);
  const exists = names.includes(typed.trim());

  useOnOpen(props.open, () => {
    form.reset({ name: props.suggestedName });
    setFormError(undefined);
  });

  const submit = form.handleSubmit(async ({ name }) => {
    setFormError(undefined);
    try {
      const created = await register.mutateAsync({ projectSlug: props.slug, modelId: props.modelId, name });
      props.onOpenChange(false);
      router.push(versionHref(props.slug, created.name, created.version));
    } catch (error) {
      setFormError(applyServerErrors(form, error, { name: "name" }));
    }
  });

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Register model"
      description={
        <>
          Adds a version whose source is <code className="font-mono text-xs">models:/{props.modelId}</code>, credited to the run that logged it.
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field
          label="Registered model"
          error={form.formState.errors.name?.message}
          hint={
            !typed.trim()
              ? "Choose one of the project's models or type a new name."
              : exists
                ? `Adds the next version of ${typed.trim()}.`
                : `Creates the registered model ${typed.trim()} with this as version 1.`
          }
        >
          <Input
            list={listId}
            autoComplete="off"
            autoFocus
            className="font-mono"
            {...form.register("name", { validate: (v) => (v.trim() ? true : "Name the registered model") })}
          />
        </Field>
        <datalist id={listId}>
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={form.formState.isSubmitting}>
            {exists || !typed.trim() ? "Register version" : "Create model and register"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
