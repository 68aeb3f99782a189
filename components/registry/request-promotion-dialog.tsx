"use client";

import { useMutation } from "@tanstack/react-query";
import { GitPullRequestArrow, Lock } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input, Select, Textarea } from "../ui/input";
import { useOnOpen } from "../ui/use-on-open";
import { HELD_STAGES, requestHref, targetText } from "./format";
import { applyServerErrors } from "./server-errors";
import type { ProtectedTarget, TargetKind } from "./types";

type Values = { version: string; kind: TargetKind; stage: string; alias: string; tagKey: string; tagValue: string; justification: string };

const KINDS: { value: TargetKind; label: string }[] = [
  { value: "alias", label: "Alias" },
  { value: "stage", label: "Stage" },
  { value: "tag", label: "Tag" },
];

/**
 * Opens a promotion request: a version to a protected stage, alias or tag, with a justification
 * for the reviewers. On success the reader lands on the request's page.
 */
export function RequestPromotionDialog(props: {
  slug: string;
  modelName: string;
  versions: number[];
  version: number | null;
  protectedTargets: ProtectedTarget[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const request = useMutation(trpc.promotion.request.mutationOptions());
  const first = props.protectedTargets[0];
  const defaults = (): Values => ({
    version: String(props.version ?? props.versions[0] ?? ""),
    kind: first?.kind ?? "alias",
    stage: first?.kind === "stage" ? first.name : "Production",
    alias: first?.kind === "alias" ? first.name : "",
    tagKey: first?.kind === "tag" ? first.name : "",
    tagValue: "",
    justification: "",
  });
  const form = useForm<Values>({ defaultValues: defaults() });
  const [formError, setFormError] = useState<string>();
  const kind = form.watch("kind");
  const chosen = { kind, name: kind === "stage" ? form.watch("stage") : kind === "alias" ? form.watch("alias").trim() : form.watch("tagKey").trim() };
  const isProtected = props.protectedTargets.some((t) => t.kind === chosen.kind && t.name === chosen.name);

  useOnOpen(
    props.open,
    () => {
      form.reset(defaults());
      setFormError(undefined);
    },
    props.version,
  );

  const submit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      const created = await request.mutateAsync({
        projectSlug: props.slug,
        modelName: props.modelName,
        version: values.version,
        target: { kind: values.kind, name: chosen.name },
        targetValue: values.kind === "tag" ? values.tagValue : undefined,
        justification: values.justification,
      });
      props.onOpenChange(false);
      router.push(requestHref(props.slug, created.number));
    } catch (error) {
      setFormError(
        applyServerErrors(form, error, {
          "target.name": kind === "stage" ? "stage" : kind === "alias" ? "alias" : "tagKey",
          targetValue: "tagValue",
          justification: "justification",
          version: "version",
        }),
      );
    }
  });

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`Request promotion of ${props.modelName}`}
      description="Reviewers named by the target's rule approve it; it applies once enough approvals stand and every gate passes."
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label="Version" error={form.formState.errors.version?.message}>
          <Select {...form.register("version")}>
            {props.versions.map((v) => (
              <option key={v} value={v}>
                Version {v}
              </option>
            ))}
          </Select>
        </Field>
        {props.protectedTargets.length > 0 && (
          <div>
            <p className="mb-1.5 text-sm font-medium">Protected targets</p>
            <div className="flex flex-wrap gap-1.5">
              {props.protectedTargets.map((t) => {
                const active = t.kind === chosen.kind && t.name === chosen.name;
                return (
                  <button
                    key={`${t.kind}:${t.name}`}
                    type="button"
                    aria-pressed={active}
                    onClick={() => {
                      form.setValue("kind", t.kind);
                      if (t.kind === "stage") form.setValue("stage", t.name);
                      else if (t.kind === "alias") form.setValue("alias", t.name);
                      else form.setValue("tagKey", t.name);
                    }}
                    className={cn(
                      "inline-flex items-center gap-1 rounded-full border px-2.5 py-1 text-xs font-medium",
                      active
                        ? "border-brand-500 bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                        : "border-stone-300 text-stone-700 hover:bg-stone-100 dark:border-stone-700 dark:text-stone-300 dark:hover:bg-stone-800",
                    )}
                  >
                    <Lock className="size-3" aria-hidden />
                    {targetText(t)}
                    <span className="text-stone-400">
                      · {t.requiredApprovals} approval{t.requiredApprovals === 1 ? "" : "s"}
                    </span>
                  </button>
                );
              })}
            </div>
          </div>
        )}
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium">Target</legend>
          <div className="grid grid-cols-[8rem_1fr] gap-2">
            <Select aria-label="Target kind" {...form.register("kind")}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </Select>
            {kind === "stage" && (
              <Select aria-label="Stage" {...form.register("stage")}>
                {HELD_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            )}
            {kind === "alias" && (
              <Input
                aria-label="Alias"
                placeholder="champion"
                className="font-mono"
                autoComplete="off"
                aria-invalid={form.formState.errors.alias ? true : undefined}
                {...form.register("alias")}
              />
            )}
            {kind === "tag" && (
              <Input
                aria-label="Tag key"
                placeholder="deploy"
                className="font-mono"
                autoComplete="off"
                aria-invalid={form.formState.errors.tagKey ? true : undefined}
                {...form.register("tagKey")}
              />
            )}
          </div>
          {(form.formState.errors.stage ?? form.formState.errors.alias ?? form.formState.errors.tagKey) && (
            <p role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
              {(form.formState.errors.stage ?? form.formState.errors.alias ?? form.formState.errors.tagKey)?.message}
            </p>
          )}
          {chosen.name && !isProtected && (
            <p className="mt-1 text-xs text-stone-500 dark:text-stone-400">
              {targetText(chosen)} is not protected for this model: change it directly instead of asking for review.
            </p>
          )}
        </fieldset>
        {kind === "tag" && (
          <Field label="Tag value" error={form.formState.errors.tagValue?.message}>
            <Input className="font-mono" autoComplete="off" {...form.register("tagValue")} />
          </Field>
        )}
        <Field
          label="Justification"
          hint="Markdown. Why this version should serve: what improved, what you checked."
          error={form.formState.errors.justification?.message}
        >
          <Textarea rows={5} placeholder="Lower MAE on the March holdout (0.212 → 0.198); latency unchanged." {...form.register("justification")} />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={request.isPending} disabled={!props.versions.length}>
            <GitPullRequestArrow className="size-4" aria-hidden /> Open request
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
