"use client";

import { Plus, Trash2 } from "lucide-react";
import type { UseFieldArrayReturn, UseFormReturn } from "react-hook-form";
import { Button } from "../ui/button";
import { MenuContent, MenuItem, MenuRoot, MenuTrigger } from "../ui/menu";
import { GateFields } from "./gate-fields";
import { gateName } from "./gates-list";
import { blankGate, type GateType, type RuleFormValues } from "./rule-form";
import type { Gate } from "./types";

const GATE_HELP: Record<GateType, string> = {
  metric_vs_holder: "The candidate's metric compared with the version holding the target now.",
  metric_threshold: "The candidate's metric against a fixed value.",
  tag_equals: "A tag on the version (or its source run) must have a value, e.g. validated=true.",
  run_status: "The source run must have finished successfully.",
  card_complete: "The candidate's model card must have these sections written (its own or the model's).",
  beats_production: "The candidate's validation metric must beat the holder's metric in production since it took the target.",
};

/** A rule's automatic gates: a menu adds one of each kind (at most 20), each listed with its fields and a remove button. */
export function GateEditor({ form, gates }: { form: UseFormReturn<RuleFormValues>; gates: UseFieldArrayReturn<RuleFormValues, "gates"> }) {
  return (
    <fieldset>
      <div className="mb-2 flex items-center justify-between">
        <legend className="text-sm font-medium">Gates</legend>
        <MenuRoot>
          <MenuTrigger asChild>
            <Button size="sm" variant="secondary" disabled={gates.fields.length >= 20}>
              <Plus className="size-3.5" aria-hidden /> Add gate
            </Button>
          </MenuTrigger>
          <MenuContent className="w-72">
            {(Object.keys(GATE_HELP) as GateType[]).map((type) => (
              <MenuItem key={type} onSelect={() => gates.append(blankGate(type))}>
                <span>
                  <span className="block font-medium">{gateName({ type } as Gate)}</span>
                  <span className="block text-xs text-stone-500">{GATE_HELP[type]}</span>
                </span>
              </MenuItem>
            ))}
          </MenuContent>
        </MenuRoot>
      </div>
      {gates.fields.length === 0 && (
        <p className="rounded-md border border-dashed border-stone-300 px-3 py-3 text-sm text-stone-500 dark:border-stone-700">
          No gates: approvals alone decide.
        </p>
      )}
      <ol className="space-y-2">
        {gates.fields.map((field, i) => {
          const type = form.watch(`gates.${i}.type`);
          return (
            <li key={field.id} className="rounded-md border border-stone-200 bg-stone-50/60 p-3 dark:border-stone-700 dark:bg-stone-800/30">
              <div className="mb-2 flex items-center justify-between gap-2">
                <p className="text-sm font-medium">
                  {i + 1}. {gateName({ type } as Gate)}
                </p>
                <Button size="sm" variant="ghost" onClick={() => gates.remove(i)} aria-label={`Remove gate ${i + 1}`} className="h-7 px-1.5 text-stone-500">
                  <Trash2 className="size-3.5" aria-hidden />
                </Button>
              </div>
              <GateFields form={form} index={i} fieldId={field.id} />
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
