"use client";

import * as Popover from "@radix-ui/react-popover";
import { ChevronDown, Search, X } from "lucide-react";
import { useState } from "react";
import { CheckMark } from "../ui/check-mark";
import { cn } from "../ui/cn";

export type PickerOption = { value: string; label: string; group?: string; hint?: string };

/**
 * A searchable multi-select of keys in a popover: type to narrow, click to toggle, the chosen ones
 * listed first. Options keep their order within each group.
 */
export function KeyPicker(props: {
  label: string;
  options: PickerOption[];
  selected: string[];
  onChange: (values: string[]) => void;
  /** Refuse to add beyond this many (the charts stay readable). */
  max?: number;
  placeholder?: string;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const chosen = new Set(props.selected);
  const term = search.trim().toLowerCase();
  const matching = props.options.filter((o) => !term || o.label.toLowerCase().includes(term) || o.value.toLowerCase().includes(term));
  const groups = [...new Set(matching.map((o) => o.group ?? ""))];
  const full = props.max !== undefined && props.selected.length >= props.max;
  const toggle = (value: string) => props.onChange(chosen.has(value) ? props.selected.filter((v) => v !== value) : [...props.selected, value]);
  const summary =
    props.selected.length === 0
      ? "none"
      : props.selected.length === 1
        ? (props.options.find((o) => o.value === props.selected[0])?.label ?? props.selected[0])
        : `${props.selected.length} chosen`;

  return (
    <Popover.Root open={open} onOpenChange={(next) => (setOpen(next), next || setSearch(""))}>
      <Popover.Trigger
        className={cn(
          "inline-flex h-8 max-w-full items-center gap-1.5 rounded-md border px-2.5 text-sm whitespace-nowrap transition-colors",
          props.selected.length
            ? "border-brand-500/60 bg-brand-50 text-brand-700 dark:border-brand-500/50 dark:bg-brand-700/20 dark:text-brand-100"
            : "border-dashed border-stone-300 text-stone-600 hover:bg-stone-100 dark:border-stone-700 dark:text-stone-300 dark:hover:bg-stone-800",
        )}
      >
        <span className="max-w-56 truncate">
          {props.label}: <span className="font-medium">{summary}</span>
        </span>
        <ChevronDown className="size-3.5 opacity-60" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          collisionPadding={12}
          className="z-50 flex max-h-[min(28rem,var(--radix-popover-content-available-height))] w-80 flex-col rounded-lg border border-stone-200 bg-white text-sm shadow-xl dark:border-stone-800 dark:bg-stone-900"
        >
          <div className="relative border-b border-stone-200 p-2 dark:border-stone-800">
            <Search className="pointer-events-none absolute top-1/2 left-4 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
            <input
              autoFocus
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={props.placeholder ?? "Search keys"}
              aria-label={props.placeholder ?? "Search keys"}
              spellCheck={false}
              className="h-8 w-full rounded-md border border-stone-300 bg-white pr-2 pl-8 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-stone-700 dark:bg-stone-950"
            />
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto py-1">
            {matching.length === 0 && <p className="px-3 py-4 text-center text-stone-500">No key matches “{search.trim()}”.</p>}
            {groups.map((group) => (
              <section key={group} className="py-1">
                {group && <h3 className="px-3 pb-1 text-[11px] font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">{group}</h3>}
                <ul>
                  {matching
                    .filter((o) => (o.group ?? "") === group)
                    .map((option) => {
                      const checked = chosen.has(option.value);
                      const disabled = !checked && full;
                      return (
                        <li key={option.value}>
                          <button
                            type="button"
                            role="checkbox"
                            aria-checked={checked}
                            disabled={disabled}
                            title={disabled ? `At most ${props.max}` : option.value}
                            onClick={() => toggle(option.value)}
                            className="flex w-full items-center gap-2.5 px-3 py-1.5 text-left hover:bg-stone-100 focus-visible:bg-stone-100 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50 dark:hover:bg-stone-800 dark:focus-visible:bg-stone-800"
                          >
                            <CheckMark checked={checked} />
                            <span className="min-w-0 truncate font-mono text-xs">{option.label}</span>
                            {option.hint && <span className="ml-auto shrink-0 pl-2 text-xs text-stone-400 tabular-nums">{option.hint}</span>}
                          </button>
                        </li>
                      );
                    })}
                </ul>
              </section>
            ))}
          </div>
          {props.selected.length > 0 && (
            <div className="flex items-center justify-between border-t border-stone-200 px-3 py-2 text-xs text-stone-500 dark:border-stone-800 dark:text-stone-400">
              <span>
                {props.selected.length} chosen{props.max !== undefined && ` (at most ${props.max})`}
              </span>
              <button
                type="button"
                onClick={() => props.onChange([])}
                className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 hover:bg-stone-100 hover:text-stone-800 dark:hover:bg-stone-800 dark:hover:text-stone-200"
              >
                <X className="size-3.5" aria-hidden /> Clear
              </button>
            </div>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
