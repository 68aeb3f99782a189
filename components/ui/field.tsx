import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";

/** A labelled form control with its hint and error, wired for screen readers. */
export function Field(props: { label: string; error?: string; hint?: ReactNode; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const control = isValidElement(props.children)
    ? cloneElement(props.children, {
        id,
        "aria-invalid": props.error ? true : undefined,
        "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
      })
    : props.children;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800 dark:text-stone-200">
        {props.label}
      </label>
      {control}
      {props.hint && (
        <p id={hintId} className="text-xs text-stone-500 dark:text-stone-400">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-600 dark:text-red-400">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A form-wide error (not tied to one field). */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      {message}
    </div>
  );
}
