"use client";

import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path } from "react-hook-form";
import { errorDetails } from "../trpc";

/**
 * A form whose rules live on the server: a failed submission puts each field error under its
 * field (and focuses the first), and anything else above the form.
 */
export function useServerForm<T extends FieldValues>(defaultValues: DefaultValues<T>) {
  const form = useForm<T>({ defaultValues });
  const [formError, setFormError] = useState<string>();

  function showError(error: unknown) {
    const { message, fields } = errorDetails(error);
    const known = Object.entries(fields).filter(([name]) => name in (defaultValues as object));
    known.forEach(([name, text], i) => form.setError(name as Path<T>, { message: text }, { shouldFocus: i === 0 }));
    setFormError(known.length ? undefined : message);
  }

  return { form, formError, showError, clearError: () => setFormError(undefined) };
}
