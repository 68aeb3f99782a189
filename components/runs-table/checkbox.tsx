"use client";

import * as RadixCheckbox from "@radix-ui/react-checkbox";
import { Check, Minus } from "lucide-react";
import type { MouseEvent } from "react";
import { cn } from "../ui/cn";

/** A compact checkbox; `onToggle` receives the click, so callers can read the Shift key for ranges. */
export function Checkbox(props: {
  checked: boolean | "indeterminate";
  onToggle: (event: MouseEvent<HTMLButtonElement>) => void;
  label: string;
  tabIndex?: number;
  className?: string;
  disabled?: boolean;
}) {
  return (
    <RadixCheckbox.Root
      checked={props.checked}
      aria-label={props.label}
      tabIndex={props.tabIndex}
      disabled={props.disabled}
      // Radix toggles on click; the caller owns the state, so the click itself is the event.
      onCheckedChange={() => undefined}
      onClick={(event) => {
        event.stopPropagation();
        props.onToggle(event);
      }}
      className={cn(
        "inline-flex size-4 shrink-0 items-center justify-center rounded-[4px] border border-stone-300 bg-white text-white shadow-xs transition-colors",
        "hover:border-stone-400 data-[state=checked]:border-brand-600 data-[state=checked]:bg-brand-600 data-[state=indeterminate]:border-brand-600 data-[state=indeterminate]:bg-brand-600",
        "disabled:cursor-not-allowed disabled:opacity-50 dark:border-stone-600 dark:bg-stone-900 dark:hover:border-stone-500",
        props.className,
      )}
    >
      <RadixCheckbox.Indicator>
        {props.checked === "indeterminate" ? (
          <Minus className="size-3" strokeWidth={3} aria-hidden />
        ) : (
          <Check className="size-3" strokeWidth={3} aria-hidden />
        )}
      </RadixCheckbox.Indicator>
    </RadixCheckbox.Root>
  );
}
