"use client";

import type { UseFormReturn } from "react-hook-form";
import { HELD_STAGES } from "../registry/format";
import { Field } from "../ui/field";
import { Input, Select } from "../ui/input";
import { errorText } from "./rule-field-styles";
import type { RuleFormValues } from "./rule-form";

/** What a new rule protects: a stage, an alias or a version tag, of one model or of every model. Fixed once the rule exists. */
export function RuleTargetFields({ form, models }: { form: UseFormReturn<RuleFormValues>; models: string[] }) {
  const kind = form.watch("targetKind");
  const errors = form.formState.errors;
  return (
    <>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">Target</legend>
        <div className="grid grid-cols-[8rem_1fr] gap-2">
          <Select aria-label="Target kind" {...form.register("targetKind")}>
            <option value="alias">Alias</option>
            <option value="stage">Stage</option>
            <option value="tag">Version tag</option>
          </Select>
          {kind === "stage" ? (
            <Select aria-label="Stage" aria-invalid={errors.stage ? true : undefined} {...form.register("stage")}>
              {HELD_STAGES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          ) : (
            <Input
              aria-label={kind === "alias" ? "Alias name" : "Tag key"}
              placeholder={kind === "alias" ? "champion" : "deploy"}
              className="font-mono"
              autoComplete="off"
              aria-invalid={errors.targetName ? true : undefined}
              {...form.register("targetName")}
            />
          )}
        </div>
        {(errors.stage ?? errors.targetName ?? errors.targetKind) && (
          <p role="alert" className={errorText}>
            {(errors.stage ?? errors.targetName ?? errors.targetKind)?.message}
          </p>
        )}
      </fieldset>
      <Field label="Models" hint="A rule for one model wins over the rule for every model." error={errors.modelName?.message}>
        <Select {...form.register("modelName")}>
          <option value="">Every model in the project</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}
