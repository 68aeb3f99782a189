"use client";

import type { UseFormReturn } from "react-hook-form";
import { Field } from "../ui/field";
import { Input, Select } from "../ui/input";
import type { RuleValues } from "./rule-form";

/** The settings of one kind of rule, each a labelled control reachable by Tab. */
export function RuleKindFields({ form }: { form: UseFormReturn<RuleValues> }) {
  const kind = form.watch("kind");
  const { register } = form;
  const target = (
    <Field label="Target" hint="The alias the records addressed (e.g. champion); leave blank for records that named a version.">
      <Input className="font-mono text-xs" {...register("target")} />
    </Field>
  );
  const windows = (
    <Field label="Windows (K hours in a row)" hint="Hours with records, the latest K of them.">
      <Input type="number" min={1} max={168} step={1} {...register("windows")} />
    </Field>
  );
  const experiment = (
    <Field label="Experiment id" hint="Optional: only runs of this experiment (e.g. 3). Blank: every run.">
      <Input inputMode="numeric" {...register("experimentId")} />
    </Field>
  );
  switch (kind) {
    case "drift":
      return (
        <>
          {target}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Statistic" hint="PSI for any column; KS numeric only; JS categorical only.">
              <Select {...register("statistic")}>
                <option value="psi">PSI (population stability)</option>
                <option value="ks">KS (Kolmogorov–Smirnov)</option>
                <option value="js">JS distance (Jensen–Shannon)</option>
              </Select>
            </Field>
            <Field label="Threshold" hint="Alert above this value (PSI 0.2 is a common line).">
              <Input type="number" step="any" min={0} {...register("threshold")} />
            </Field>
          </div>
          {windows}
          <Field label="Column" hint="Optional: one feature or the prediction. Blank: every column of the reference.">
            <Input className="font-mono text-xs" {...register("column")} />
          </Field>
        </>
      );
    case "decay":
      return (
        <>
          {target}
          <Field label="Margin" hint="How much worse than the validation value the production metric may be (e.g. 0.05 accuracy).">
            <Input type="number" step="any" min={0} {...register("margin")} />
          </Field>
          {windows}
        </>
      );
    case "no_traffic":
      return (
        <>
          {target}
          <Field label="Hours without records" hint="Counted in whole hours; the alert may open up to an hour late.">
            <Input type="number" min={1} max={720} step={1} {...register("hours")} />
          </Field>
        </>
      );
    case "run_failed":
      return experiment;
    case "metric_threshold":
      return (
        <>
          <Field label="Metric key" hint="The latest value the run logged is compared.">
            <Input className="font-mono text-xs" placeholder="e.g. val_loss" {...register("metric")} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Comparison">
              <Select {...register("comparison")}>
                <option value="gt">greater than (&gt;)</option>
                <option value="gte">at least (≥)</option>
                <option value="lt">less than (&lt;)</option>
                <option value="lte">at most (≤)</option>
              </Select>
            </Field>
            <Field label="Value">
              <Input type="number" step="any" {...register("value")} />
            </Field>
          </div>
          {experiment}
        </>
      );
  }
}
