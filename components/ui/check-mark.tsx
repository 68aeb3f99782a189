import { Check } from "lucide-react";
import { cn } from "./cn";

/** The box of a checkbox-like menu item (role="checkbox" sits on the item itself). */
export function CheckMark({ checked }: { checked: boolean }) {
  return (
    <span
      aria-hidden
      className={cn(
        "inline-flex size-4 shrink-0 items-center justify-center rounded-[4px] border shadow-xs",
        checked ? "border-brand-600 bg-brand-600 text-white" : "border-stone-300 bg-white dark:border-stone-600 dark:bg-stone-900",
      )}
    >
      {checked && <Check className="size-3" strokeWidth={3} />}
    </span>
  );
}
