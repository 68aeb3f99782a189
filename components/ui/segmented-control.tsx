import { cn } from "./cn";

/** A row of mutually exclusive choices (a radio group drawn as joined buttons). */
export function SegmentedControl<T extends string>(props: {
  label: string;
  options: readonly T[];
  labels: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <div role="radiogroup" aria-label={props.label} className="inline-flex h-8 items-center rounded-md border border-stone-300 p-0.5 dark:border-stone-700">
      {props.options.map((value) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={props.value === value}
          onClick={() => props.onChange(value)}
          className={cn(
            "h-full rounded px-2.5 text-sm transition-colors",
            props.value === value
              ? "bg-stone-900 text-white dark:bg-stone-100 dark:text-stone-900"
              : "text-stone-600 hover:bg-stone-100 dark:text-stone-300 dark:hover:bg-stone-800",
          )}
        >
          {props.labels[value]}
        </button>
      ))}
    </div>
  );
}
