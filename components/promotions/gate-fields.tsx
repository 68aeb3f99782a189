"use client";

import type { ReactNode } from "react";
import type { UseFormReturn } from "react-hook-form";
import { CARD_FIELD_TEXT } from "@/server/services/model-cards/sections";
import { Input, Select } from "../ui/input";
import { errorText, smallLabel } from "./rule-field-styles";
import type { RuleFormValues } from "./rule-form";

const CARD_SECTIONS = Object.entries(CARD_FIELD_TEXT) as [keyof typeof CARD_FIELD_TEXT, { label: string }][];

/** The fields of the `index`-th gate, for its kind: metric and comparison (and value), tag and value, card sections, metric and margin, or none. */
export function GateFields({ form, index: i, fieldId }: { form: UseFormReturn<RuleFormValues>; index: number; fieldId: string }) {
  const type = form.watch(`gates.${i}.type`);
  const e = form.formState.errors.gates?.[i];
  const gate = { form, index: i, fieldId };
  return (
    <>
      {(type === "metric_vs_holder" || type === "metric_threshold") && (
        <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_8.5rem_minmax(0,0.8fr)]">
          <GateInput {...gate} field="metric" label="Metric" placeholder="auc" />
          <GateSelect {...gate} field="comparison" label="Must be">
            <option value="lt">&lt; less than</option>
            <option value="lte">≤ at most</option>
            <option value="gt">&gt; more than</option>
            <option value="gte">≥ at least</option>
            {type === "metric_threshold" && <option value="eq">= equal</option>}
          </GateSelect>
          {type === "metric_threshold" ? (
            <GateInput {...gate} field="value" label="Value" placeholder="0.9" decimal />
          ) : (
            <div className="flex flex-col justify-end">
              <span className="pb-2 text-sm text-stone-600 dark:text-stone-400">than the holder's</span>
            </div>
          )}
          {type === "metric_vs_holder" && (
            <label className="inline-flex items-center gap-2 text-xs text-stone-600 sm:col-span-3 dark:text-stone-400">
              <input type="checkbox" className="size-3.5 accent-brand-600" {...form.register(`gates.${i}.passWithoutHolder`)} />
              Pass when no version holds the target yet
            </label>
          )}
        </div>
      )}
      {type === "tag_equals" && (
        <div className="grid gap-2 sm:grid-cols-[7rem_minmax(0,1fr)_minmax(0,1fr)]">
          <GateSelect {...gate} field="on" label="Tag of the">
            <option value="version">version</option>
            <option value="run">source run</option>
          </GateSelect>
          <GateInput {...gate} field="tag" label="Key" placeholder="validated" />
          <GateInput {...gate} field="tagValue" label="Equals" placeholder="true" />
        </div>
      )}
      {type === "run_status" && <p className="text-sm text-stone-600 dark:text-stone-400">The source run's status must be FINISHED.</p>}
      {type === "card_complete" && (
        <fieldset>
          <legend className={smallLabel}>Sections the card must have (none ticked: every section)</legend>
          <div className="grid gap-x-4 gap-y-1 sm:grid-cols-2">
            {CARD_SECTIONS.map(([field, text]) => (
              <label key={field} className="inline-flex items-center gap-2 text-sm">
                <input type="checkbox" value={field} className="size-3.5 accent-brand-600" {...form.register(`gates.${i}.cardFields`)} />
                {text.label}
              </label>
            ))}
          </div>
          {e?.cardFields && <p className={errorText}>{e.cardFields.message}</p>}
        </fieldset>
      )}
      {type === "beats_production" && (
        <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_8rem]">
          <GateInput {...gate} field="metric" label="Validation metric of the candidate" placeholder="val_accuracy" />
          <GateInput {...gate} field="margin" label="By more than" placeholder="0" decimal />
          <p className="text-xs text-stone-500 sm:col-span-2">
            Compared with the holder&apos;s production metric (the model&apos;s monitoring settings name it) since it took the target, over at most 30 days.
          </p>
          <label className="inline-flex items-center gap-2 text-xs text-stone-600 sm:col-span-2 dark:text-stone-400">
            <input type="checkbox" className="size-3.5 accent-brand-600" {...form.register(`gates.${i}.passWithoutEvidence`)} />
            Pass when no holder has labelled production records yet
          </label>
        </div>
      )}
    </>
  );
}

type GateProps = { form: UseFormReturn<RuleFormValues>; index: number; fieldId: string; label: string };

/** A gate's text field with its small label and its error; `decimal` asks for a number keyboard. */
function GateInput({
  form,
  index,
  fieldId,
  field,
  label,
  placeholder,
  decimal,
}: GateProps & { field: "metric" | "value" | "tag" | "tagValue" | "margin"; placeholder: string; decimal?: boolean }) {
  const error = form.formState.errors.gates?.[index]?.[field];
  const id = `gate-${fieldId}-${field}`;
  return (
    <Labelled id={id} label={label}>
      <Input
        id={id}
        inputMode={decimal ? "decimal" : undefined}
        placeholder={placeholder}
        className="font-mono"
        autoComplete={decimal ? undefined : "off"}
        aria-invalid={error ? true : undefined}
        {...form.register(`gates.${index}.${field}`)}
      />
      {error && <p className={errorText}>{error.message}</p>}
    </Labelled>
  );
}

/** A gate's choice with its small label; `children` are the options. */
function GateSelect({ form, index, fieldId, field, label, children }: GateProps & { field: "comparison" | "on"; children: ReactNode }) {
  const id = `gate-${fieldId}-${field}`;
  return (
    <Labelled id={id} label={label}>
      <Select id={id} {...form.register(`gates.${index}.${field}`)}>
        {children}
      </Select>
    </Labelled>
  );
}

function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div>
      <label className={smallLabel} htmlFor={id}>
        {label}
      </label>
      {children}
    </div>
  );
}
