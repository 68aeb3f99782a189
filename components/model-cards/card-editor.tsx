"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CARD_FIELD_MAX_CHARS } from "@/server/services/model-cards/sections";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Textarea } from "../ui/input";
import type { CardSection } from "./types";

type Props = { slug: string; name: string; version: number | null; sections: CardSection[]; onDone: () => void };

/**
 * The card as a form: one text area per section (an inherited one starts empty, showing the model's
 * text as its placeholder), each suggestion offered with a button that puts it in. Ctrl/⌘+Enter
 * saves from any section, Escape cancels.
 */
export function CardEditor({ slug, name, version, sections, onDone }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.modelCard.save.mutationOptions());
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(sections.map((s) => [s.field, s.inherited ? "" : s.value])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  async function submit() {
    setMessage(null);
    try {
      await save.mutateAsync({ projectSlug: slug, name, ...(version === null ? {} : { version }), content: draft });
      router.refresh();
      onDone();
    } catch (error) {
      const details = errorDetails(error);
      setErrors(Object.fromEntries(Object.entries(details.fields).map(([path, text]) => [path.replace(/^content\./, ""), text])));
      setMessage(details.message);
    }
  }

  return (
    <form
      className="divide-y divide-stone-100 dark:divide-stone-800"
      onSubmit={(e) => (e.preventDefault(), void submit())}
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
          e.preventDefault();
          void submit();
        }
        if (e.key === "Escape") onDone();
      }}
    >
      {sections.map((s) => {
        const id = `card-${s.field}`;
        const value = draft[s.field] ?? "";
        return (
          <div key={s.field} className="space-y-1.5 px-5 py-3.5">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <label htmlFor={id} className="text-sm font-medium">
                {s.label}
              </label>
              {s.suggestion && s.suggestion !== value && (
                <Button
                  type="button"
                  size="sm"
                  variant="ghost"
                  className="h-7 px-2 text-brand-700 dark:text-brand-100"
                  onClick={() => setDraft({ ...draft, [s.field]: s.suggestion! })}
                >
                  Use suggestion
                  <span className="sr-only"> for {s.label.toLowerCase()}</span>
                </Button>
              )}
            </div>
            <p id={`${id}-hint`} className="text-xs text-stone-500">
              {s.hint}
              {s.inherited && " Left empty, the model's card says it."}
            </p>
            <Textarea
              id={id}
              rows={Math.min(12, Math.max(3, value.split("\n").length + 1))}
              value={value}
              maxLength={CARD_FIELD_MAX_CHARS}
              placeholder={s.inherited ? s.value : (s.suggestion ?? undefined)}
              aria-describedby={`${id}-hint`}
              aria-invalid={errors[s.field] ? true : undefined}
              onChange={(e) => setDraft({ ...draft, [s.field]: e.target.value })}
              className="font-mono text-[13px] leading-relaxed"
              autoFocus={s.field === sections[0]?.field}
            />
            {errors[s.field] && <p className="text-xs text-red-600 dark:text-red-400">{errors[s.field]}</p>}
          </div>
        );
      })}
      <div className="flex flex-wrap items-center justify-between gap-2 px-5 py-3">
        <span className="text-xs text-stone-500">Markdown. Ctrl/⌘+Enter saves, Escape cancels.</span>
        {message && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {message}
          </p>
        )}
        <div className="flex gap-2">
          <Button type="button" variant="secondary" size="sm" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" size="sm" pending={save.isPending}>
            Save card
          </Button>
        </div>
      </div>
    </form>
  );
}
