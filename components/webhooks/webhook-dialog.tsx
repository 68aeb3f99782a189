"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { SecretReveal } from "./secret-reveal";
import { EVENT_LABELS, FORMAT_LABELS, type Webhook, type WebhookEvent, type WebhookFormat } from "./types";

type Values = { url: string; description: string; events: WebhookEvent[]; format: WebhookFormat; active: boolean };

/** Adds a webhook (then shows its secret once) or edits one. */
export function WebhookDialog(props: {
  slug: string;
  events: readonly WebhookEvent[];
  webhook?: Webhook;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.webhook.create.mutationOptions());
  const update = useMutation(trpc.webhook.update.mutationOptions());
  const [secret, setSecret] = useState<string | null>(null);
  const editing = props.webhook;
  const { form, formError, showError } = useServerForm<Values>({
    url: editing?.url ?? "",
    description: editing?.description ?? "",
    events: editing?.events ?? ["promotion.applied"],
    format: editing?.format ?? "cairn",
    active: editing?.active ?? true,
  });
  const errors = form.formState.errors;
  const active = form.watch("active");

  function close(open: boolean) {
    props.onOpenChange(open);
    if (!open) {
      setSecret(null);
      form.reset();
    }
  }

  const submit = form.handleSubmit(async (values) => {
    // A checkbox group reports `false` when nothing is ticked; the server then names the mistake.
    const events = Array.isArray(values.events) ? values.events : [];
    try {
      if (editing) {
        await update.mutateAsync({ projectSlug: props.slug, webhookId: editing.id, ...values, events });
        toast.success("Webhook saved");
        await queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() });
        props.onOpenChange(false);
      } else {
        const result = await create.mutateAsync({ projectSlug: props.slug, ...values, events });
        setSecret(result.secret);
        await queryClient.invalidateQueries({ queryKey: trpc.webhook.list.pathKey() });
      }
    } catch (error) {
      showError(error);
    }
  });

  return (
    <Dialog
      open={props.open}
      onOpenChange={close}
      title={secret ? "Webhook added: copy its secret" : editing ? "Edit webhook" : "Add a webhook"}
      description={secret || editing ? undefined : "Cairn POSTs a signed JSON message to this URL when the chosen events happen."}
    >
      {secret ? (
        <div className="space-y-4">
          <SecretReveal secret={secret} />
          <div className="flex justify-end">
            <Button onClick={() => close(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field label="Payload URL" error={errors.url?.message} hint="http:// or https://; redirects are not followed.">
            <Input type="url" autoFocus={!editing} placeholder="https://ci.example.com/hooks/cairn" className="font-mono text-xs" {...form.register("url")} />
          </Field>
          <Field label="Description" error={errors.description?.message}>
            <Input placeholder="e.g. Deploy to production" {...form.register("description")} />
          </Field>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-stone-800 dark:text-stone-200">Events</legend>
            <div className="grid gap-1 sm:grid-cols-2">
              {props.events.map((event) => (
                <label key={event} className="flex items-start gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-stone-50 dark:hover:bg-stone-800/50">
                  <input type="checkbox" value={event} className="mt-0.5 size-4 accent-brand-600" {...form.register("events")} />
                  <span>
                    <span className="font-medium">{EVENT_LABELS[event].label}</span>
                    <span className="block text-xs text-stone-500 dark:text-stone-400">{EVENT_LABELS[event].hint}</span>
                  </span>
                </label>
              ))}
            </div>
            {errors.events?.message && (
              <p role="alert" className="text-xs font-medium text-red-600 dark:text-red-400">
                {errors.events.message}
              </p>
            )}
          </fieldset>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-stone-800 dark:text-stone-200">Format</legend>
            <div className="grid gap-1 sm:grid-cols-2">
              {(Object.keys(FORMAT_LABELS) as WebhookFormat[]).map((format) => (
                <label key={format} className="flex items-start gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-stone-50 dark:hover:bg-stone-800/50">
                  <input type="radio" value={format} className="mt-0.5 size-4 accent-brand-600" {...form.register("format")} />
                  <span>
                    <span className="font-medium">{FORMAT_LABELS[format].label}</span>
                    <span className="block text-xs text-stone-500 dark:text-stone-400">{FORMAT_LABELS[format].hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="flex items-center justify-between gap-4">
            <div>
              <div id="webhook-active-label" className="text-sm font-medium text-stone-800 dark:text-stone-200">
                Active
              </div>
              <p className="text-xs text-stone-500 dark:text-stone-400">While off, events are not sent (nor kept for later).</p>
            </div>
            <button
              type="button"
              role="switch"
              aria-checked={active}
              aria-labelledby="webhook-active-label"
              onClick={() => form.setValue("active", !active, { shouldDirty: true })}
              className={cn(
                "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors",
                active ? "bg-brand-600" : "bg-stone-300 dark:bg-stone-700",
              )}
            >
              <span className={cn("inline-block size-5 rounded-full bg-white shadow transition-transform", active ? "translate-x-5" : "translate-x-0.5")} />
            </button>
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={create.isPending || update.isPending}>
              {editing ? "Save" : "Add webhook"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
