"use client";

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
  return (
    <>
      {(type === "metric_vs_holder" || type === "metric_threshold") && (
        <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_8.5rem_minmax(0,0.8fr)]">
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-metric`}>
              Metric
            </label>
            <Input
              id={`gate-${fieldId}-metric`}
              placeholder="auc"
              className="font-mono"
              autoComplete="off"
              aria-invalid={e?.metric ? true : undefined}
              {...form.register(`gates.${i}.metric`)}
            />
            {e?.metric && <p className={errorText}>{e.metric.message}</p>}
          </div>
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-cmp`}>
              Must be
            </label>
            <Select id={`gate-${fieldId}-cmp`} {...form.register(`gates.${i}.comparison`)}>
              <option value="lt">&lt; less than</option>
              <option value="lte">≤ at most</option>
              <option value="gt">&gt; more than</option>
              <option value="gte">≥ at least</option>
              {type === "metric_threshold" && <option value="eq">= equal</option>}
            </Select>
          </div>
          {type === "metric_threshold" ? (
            <div>
              <label className={smallLabel} htmlFor={`gate-${fieldId}-value`}>
                Value
              </label>
              <Input
                id={`gate-${fieldId}-value`}
                inputMode="decimal"
                placeholder="0.9"
                className="font-mono"
                aria-invalid={e?.value ? true : undefined}
                {...form.register(`gates.${i}.value`)}
              />
              {e?.value && <p className={errorText}>{e.value.message}</p>}
            </div>
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
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-on`}>
              Tag of the
            </label>
            <Select id={`gate-${fieldId}-on`} {...form.register(`gates.${i}.on`)}>
              <option value="version">version</option>
              <option value="run">source run</option>
            </Select>
          </div>
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-tag`}>
              Key
            </label>
            <Input
              id={`gate-${fieldId}-tag`}
              placeholder="validated"
              className="font-mono"
              autoComplete="off"
              aria-invalid={e?.tag ? true : undefined}
              {...form.register(`gates.${i}.tag`)}
            />
            {e?.tag && <p className={errorText}>{e.tag.message}</p>}
          </div>
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-tagvalue`}>
              Equals
            </label>
            <Input
              id={`gate-${fieldId}-tagvalue`}
              placeholder="true"
              className="font-mono"
              autoComplete="off"
              aria-invalid={e?.tagValue ? true : undefined}
              {...form.register(`gates.${i}.tagValue`)}
            />
            {e?.tagValue && <p className={errorText}>{e.tagValue.message}</p>}
          </div>
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
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-metric`}>
              Validation metric of the candidate
            </label>
            <Input
              id={`gate-${fieldId}-metric`}
              placeholder="val_accuracy"
              className="font-mono"
              autoComplete="off"
              aria-invalid={e?.metric ? true : undefined}
              {...form.register(`gates.${i}.metric`)}
            />
            {e?.metric && <p className={errorText}>{e.metric.message}</p>}
          </div>
          <div>
            <label className={smallLabel} htmlFor={`gate-${fieldId}-margin`}>
              By more than
            </label>
            <Input
              id={`gate-${fieldId}-margin`}
              inputMode="decimal"
              placeholder="0"
              className="font-mono"
              aria-invalid={e?.margin ? true : undefined}
              {...form.register(`gates.${i}.margin`)}
            />
            {e?.margin && <p className={errorText}>{e.margin.message}</p>}
          </div>
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
