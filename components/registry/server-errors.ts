"use client";

import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { errorDetails } from "../trpc";

/**
 * Puts the server's field errors under the form's fields. `fields` maps the server's paths
 * ("target.name", "gates.0.metric") to the form's; a function lets nested paths through. Returns the
 * message to show above the form when no field took the error.
 */
export function applyServerErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: unknown,
  fields: Record<string, Path<T>> | ((serverPath: string) => Path<T> | null),
): string | undefined {
  const { message, fields: errors } = errorDetails(error);
  const unplaced: string[] = [];
  let placed = 0;
  for (const [path, text] of Object.entries(errors)) {
    const target = typeof fields === "function" ? fields(path) : fields[path];
    if (target) form.setError(target, { message: text }, { shouldFocus: placed++ === 0 });
    else unplaced.push(text);
  }
  if (!placed) return message;
  return unplaced.length ? unplaced.join("; ") : undefined;
}
