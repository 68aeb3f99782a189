"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import * as Popover from "@radix-ui/react-popover";
import { CalendarDays, Check, ChevronDown, X } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../ui/cn";
import { SegmentedControl } from "../ui/segmented-control";
import { formatCount } from "./format";
import { LIFECYCLES, type Lifecycle } from "@/server/services/tracking/run-view-state";

const trigger = (active: boolean) =>
  cn(
    "inline-flex h-8 items-center gap-1.5 rounded-md border px-2.5 text-sm whitespace-nowrap transition-colors",
    active
      ? "border-brand-500/60 bg-brand-50 text-brand-700 dark:border-brand-500/50 dark:bg-brand-700/20 dark:text-brand-100"
      : "border-dashed border-stone-300 text-stone-600 hover:bg-stone-100 dark:border-stone-700 dark:text-stone-300 dark:hover:bg-stone-800",
  );

const panel = "z-50 min-w-56 rounded-lg border border-stone-200 bg-white p-1 text-sm shadow-xl dark:border-stone-800 dark:bg-stone-900";

type Option = { value: string; label: ReactNode; hint?: number };

/** A filter that keeps several values (statuses, users, experiments); the menu stays open while picking. */
export function MultiSelectFilter(props: {
  label: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
  summary?: (values: string[]) => string;
}) {
  const chosen = new Set(props.selected);
  const summary =
    props.selected.length === 0
      ? null
      : props.summary
        ? props.summary(props.selected)
        : props.selected.length === 1
          ? props.selected[0]
          : `${props.selected.length} selected`;
  return (
    <Menu.Root>
      <Menu.Trigger className={trigger(props.selected.length > 0)}>
        {props.label}
        {summary && <span className="max-w-40 truncate font-medium">: {summary}</span>}
        <ChevronDown className="size-3.5 opacity-60" aria-hidden />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="start"
          sideOffset={6}
          collisionPadding={12}
          className={cn(panel, "max-h-[min(24rem,var(--radix-dropdown-menu-content-available-height))] overflow-y-auto")}
        >
          {props.options.length === 0 && <div className="px-2 py-1.5 text-stone-500">Nothing to choose from</div>}
          {props.options.map((option) => (
            <Menu.CheckboxItem
              key={option.value}
              checked={chosen.has(option.value)}
              onSelect={(e) => e.preventDefault()}
              onCheckedChange={(checked) => props.onChange(checked ? [...props.selected, option.value] : props.selected.filter((v) => v !== option.value))}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none select-none data-[highlighted]:bg-stone-100 dark:data-[highlighted]:bg-stone-800"
            >
              <span className="flex size-4 items-center justify-center">
                <Menu.ItemIndicator>
                  <Check className="size-3.5 text-brand-600" aria-hidden />
                </Menu.ItemIndicator>
              </span>
              <span className="min-w-0 truncate">{option.label}</span>
              {option.hint !== undefined && <span className="ml-auto pl-3 text-xs text-stone-400 tabular-nums">{formatCount(option.hint)}</span>}
            </Menu.CheckboxItem>
          ))}
          {props.selected.length > 0 && (
            <>
              <Menu.Separator className="my-1 h-px bg-stone-200 dark:bg-stone-800" />
              <Menu.Item
                onSelect={() => props.onChange([])}
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-stone-600 outline-none data-[highlighted]:bg-stone-100 dark:text-stone-300 dark:data-[highlighted]:bg-stone-800"
              >
                <X className="size-3.5" aria-hidden /> Clear
              </Menu.Item>
            </>
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

const day = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const shortDay = (value: string) => day.format(new Date(`${value}T00:00:00Z`));

/** Started on or after / on or before a day (UTC, as the times in the table's tooltips). */
export function DateFilter(props: {
  from: string | null;
  to: string | null;
  onChange: (range: { startedFrom: string | null; startedTo: string | null }) => void;
}) {
  const active = Boolean(props.from || props.to);
  const summary =
    props.from && props.to
      ? `${shortDay(props.from)} – ${shortDay(props.to)}`
      : props.from
        ? `since ${shortDay(props.from)}`
        : props.to
          ? `until ${shortDay(props.to)}`
          : null;
  const input =
    "h-8 w-full rounded-md border border-stone-300 bg-white px-2 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-stone-700 dark:bg-stone-950 dark:[color-scheme:dark]";
  return (
    <Popover.Root>
      <Popover.Trigger className={trigger(active)}>
        <CalendarDays className="size-3.5 opacity-70" aria-hidden />
        Started
        {summary && <span className="font-medium">: {summary}</span>}
        <ChevronDown className="size-3.5 opacity-60" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={6} className={cn(panel, "w-64 space-y-3 p-3")}>
          <label className="block space-y-1">
            <span className="text-xs font-medium text-stone-600 dark:text-stone-300">On or after (UTC)</span>
            <input
              type="date"
              className={input}
              value={props.from ?? ""}
              max={props.to ?? undefined}
              onChange={(e) => props.onChange({ startedFrom: e.target.value || null, startedTo: props.to })}
            />
          </label>
          <label className="block space-y-1">
            <span className="text-xs font-medium text-stone-600 dark:text-stone-300">On or before (UTC)</span>
            <input
              type="date"
              className={input}
              value={props.to ?? ""}
              min={props.from ?? undefined}
              onChange={(e) => props.onChange({ startedFrom: props.from, startedTo: e.target.value || null })}
            />
          </label>
          {active && (
            <button
              type="button"
              className="text-xs font-medium text-brand-700 hover:underline dark:text-brand-100"
              onClick={() => props.onChange({ startedFrom: null, startedTo: null })}
            >
              Clear dates
            </button>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

const LIFECYCLE_LABEL: Record<Lifecycle, string> = { active: "Active", deleted: "Deleted", all: "All" };

/** Active, deleted (restorable) or all runs. */
export function LifecycleToggle(props: { value: Lifecycle; onChange: (value: Lifecycle) => void }) {
  return <SegmentedControl label="Runs to show" options={LIFECYCLES} labels={LIFECYCLE_LABEL} value={props.value} onChange={props.onChange} />;
}
