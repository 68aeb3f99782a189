"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MonitoringConfig } from "@/server/services/monitoring/config";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";

type Task = MonitoringConfig["task"];
type Metric = MonitoringConfig["metric"];

const TASK_TEXT: Record<Task, string> = { classification: "Classification", regression: "Regression" };
const METRIC_TEXT: Record<Metric, string> = { accuracy: "Accuracy", mae: "Mean absolute error (MAE)", rmse: "Root mean squared error (RMSE)" };

/** How the model is watched: maintainers edit it, everyone else reads it. */
export function MonitoringSettingsForm(props: {
  slug: string;
  name: string;
  config: MonitoringConfig;
  metricsOfTask: Record<Task, readonly Metric[]>;
  editable: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [config, setConfig] = useState({
    ...props.config,
    validationMetric: props.config.validationMetric ?? "",
    retentionDays: String(props.config.retentionDays),
  });
  const [errors, setErrors] = useState<{ message?: string; fields: Record<string, string> }>({ fields: {} });
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.monitoring.saveConfig.mutationOptions());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    try {
      await save.mutateAsync({
        projectSlug: props.slug,
        name: props.name,
        config: { task: config.task, metric: config.metric, validationMetric: config.validationMetric, retentionDays: Number(config.retentionDays) },
      });
      setErrors({ fields: {} });
      setSaved(true);
      router.refresh();
    } catch (error) {
      const { message, fields } = errorDetails(error);
      const own = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^config\./, ""), v]));
      setErrors({ message: Object.keys(own).length ? undefined : message, fields: own });
    }
  };

  const metrics = props.metricsOfTask[config.task];
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Monitoring settings">
      <FormError message={errors.message} />
      <Field label="Task" error={errors.fields.task}>
        <Select
          value={config.task}
          disabled={!props.editable}
          onChange={(e) => {
            const task = e.target.value as Task;
            setConfig((c) => ({ ...c, task, metric: props.metricsOfTask[task].includes(c.metric) ? c.metric : props.metricsOfTask[task][0]! }));
          }}
        >
          {(Object.keys(TASK_TEXT) as Task[]).map((t) => (
            <option key={t} value={t}>
              {TASK_TEXT[t]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Production metric" error={errors.fields.metric} hint="Computed from the labels you post, per hour.">
        <Select value={config.metric} disabled={!props.editable} onChange={(e) => setConfig((c) => ({ ...c, metric: e.target.value as Metric }))}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {METRIC_TEXT[m]}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Validation metric"
        error={errors.fields.validationMetric}
        hint={`The run metric production is compared with. Blank: the first of val_${config.metric}, validation_${config.metric}, ${config.metric} the version's run logged.`}
      >
        <Input
          value={config.validationMetric}
          disabled={!props.editable}
          placeholder={`val_${config.metric}`}
          onChange={(e) => setConfig((c) => ({ ...c, validationMetric: e.target.value }))}
        />
      </Field>
      <Field
        label="Keep raw records (days)"
        error={errors.fields.retentionDays}
        hint="Labels can be joined to records this long; hourly aggregates are kept for good."
      >
        <Input
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          value={config.retentionDays}
          disabled={!props.editable}
          onChange={(e) => setConfig((c) => ({ ...c, retentionDays: e.target.value }))}
        />
      </Field>
      {props.editable ? (
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending}>
            Save settings
          </Button>
          {saved && (
            <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              Saved
            </span>
          )}
        </div>
      ) : (
        <p className="text-xs text-stone-500">Maintainers can change these settings.</p>
      )}
    </form>
  );
}
