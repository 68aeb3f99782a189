"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";

type Values = { key: string; goal: "min" | "max"; threshold: string };

/** Chooses the metric the leaderboard ranks runs by; an empty key clears it. */
export function PrimaryMetricForm(props: { slug: string; metricKey: string | null; goal: "min" | "max" | null; threshold: number | null; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.project.setPrimaryMetric.mutationOptions());
  const { form, formError, showError } = useServerForm<Values>({
    key: props.metricKey ?? "",
    goal: props.goal ?? "max",
    threshold: props.threshold === null ? "" : String(props.threshold),
  });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (v) => {
    const threshold = v.threshold.trim() === "" ? null : Number(v.threshold);
    if (threshold !== null && !Number.isFinite(threshold)) {
      form.setError("threshold", { message: "Enter a number, or leave it empty" }, { shouldFocus: true });
      return;
    }
    try {
      await save.mutateAsync({ projectSlug: props.slug, key: v.key.trim() || null, goal: v.goal, threshold });
      form.reset(v);
      toast.success(v.key.trim() ? "Leaderboard metric saved" : "Leaderboard metric cleared");
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Metric" error={errors.key?.message} hint="e.g. val_auc; empty to clear">
          <Input className="font-mono" disabled={!props.editable} {...form.register("key")} />
        </Field>
        <Field label="Better when" error={errors.goal?.message}>
          <Select disabled={!props.editable} {...form.register("goal")}>
            <option value="max">higher</option>
            <option value="min">lower</option>
          </Select>
        </Field>
        <Field label="Pass threshold" error={errors.threshold?.message} hint="Optional">
          <Input inputMode="decimal" disabled={!props.editable} {...form.register("threshold")} />
        </Field>
      </div>
      {props.editable && (
        <div className="flex justify-end">
          <Button type="submit" pending={save.isPending} disabled={!form.formState.isDirty}>
            Save
          </Button>
        </div>
      )}
    </form>
  );
}
