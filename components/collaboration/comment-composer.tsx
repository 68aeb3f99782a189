"use client";

import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Textarea } from "../ui/input";
import { CommentMarkdown } from "./markdown";
import { MarkdownTabs, type MarkdownTab } from "./markdown-tabs";
import { activeMentionQuery, insertMention, matchPeople, toEditable, toMarkup, type Person } from "./mention-syntax";

type Query = { start: number; end: number; query: string };

/**
 * The markdown editor of comments: a Write tab (a textarea where `@` suggests project members,
 * operable with arrows, Enter or Tab, and Escape) and a Preview tab rendering what will be posted.
 * Ctrl+Enter (⌘+Enter) submits.
 */
export function CommentComposer(props: {
  label: string;
  people: Person[];
  /** Names for the preview's mention chips, beyond the members (user id → name). */
  knownNames?: Record<string, string>;
  initial?: string;
  submitLabel: string;
  placeholder?: string;
  autoFocus?: boolean;
  onSubmit: (body: string) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  // The text as people read it (`@Name`), and who its mentions name; markup is written on sending.
  const [editable] = useState(() => toEditable(props.initial ?? ""));
  const [draft, setDraft] = useState(editable.text);
  const [mentioned, setMentioned] = useState<Person[]>(editable.people);
  const [tab, setTab] = useState<MarkdownTab>("write");
  const [pending, setPending] = useState(false);
  const [query, setQuery] = useState<Query | null>(null);
  const [active, setActive] = useState(0);
  // Escape closes the suggestions until the caret moves to another mention.
  const [dismissed, setDismissed] = useState<number | null>(null);

  const suggestions = useMemo(() => (query ? matchPeople(props.people, query.query) : []), [query, props.people]);
  const open = query !== null && query.start !== dismissed && suggestions.length > 0;
  const names = useMemo(
    () => ({ ...props.knownNames, ...Object.fromEntries(props.people.map((p) => [p.id.toLowerCase(), p.name])) }),
    [props.knownNames, props.people],
  );
  const listId = `${id}-mentions`;
  const optionId = (i: number) => `${id}-mention-${i}`;

  function track(element: HTMLTextAreaElement) {
    const caret = element.selectionStart;
    const found = element.selectionEnd === caret ? activeMentionQuery(element.value, caret) : null;
    setQuery(found ? { ...found, end: caret } : null);
    if (!found || found.start !== query?.start) setActive(0);
    if (found?.start !== dismissed) setDismissed(null);
  }

  function choose(person: Person) {
    if (!query) return;
    const next = insertMention(draft, query, person);
    setDraft(next.text);
    setMentioned((people) => [...people.filter((p) => p.id !== person.id), person]);
    setQuery(null);
    requestAnimationFrame(() => {
      const element = textarea.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(next.caret, next.caret);
    });
  }

  async function submit() {
    if (!draft.trim() || pending) return;
    setPending(true);
    try {
      if (await props.onSubmit(toMarkup(draft, mentioned))) {
        setDraft("");
        setMentioned([]);
        setTab("write");
      }
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(suggestions[Math.min(active, suggestions.length - 1)]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(query.start);
        return;
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === "Escape" && props.onCancel) {
      event.preventDefault();
      props.onCancel();
    }
  }

  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <MarkdownTabs
        label={props.label}
        tab={tab}
        onTabChange={setTab}
        writeClassName="relative"
        preview={draft.trim() ? <CommentMarkdown source={toMarkup(draft, mentioned)} people={names} /> : undefined}
        previewClassName="min-h-24"
      >
        <label htmlFor={`${id}-text`} className="sr-only">
          {props.label}
        </label>
        <Textarea
          ref={textarea}
          id={`${id}-text`}
          rows={4}
          value={draft}
          placeholder={props.placeholder ?? "Write a comment… Markdown works; type @ to mention someone."}
          autoFocus={props.autoFocus}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(active) : undefined}
          aria-describedby={`${id}-hint`}
          className="min-h-24 resize-y font-mono text-[13px]"
          onChange={(event) => {
            setDraft(event.target.value);
            track(event.target);
          }}
          onSelect={(event) => track(event.currentTarget)}
          onKeyDown={onKeyDown}
          onBlur={() => setQuery(null)}
        />
        {open && (
          <ul
            id={listId}
            role="listbox"
            aria-label="People to mention"
            className="absolute top-full left-0 z-20 mt-1 max-h-64 w-72 overflow-y-auto rounded-md border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900"
          >
            {suggestions.map((person, i) => (
              <li
                key={person.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={cn(
                  "flex cursor-pointer flex-col rounded px-2 py-1.5 text-sm",
                  i === active ? "bg-brand-50 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100" : "hover:bg-stone-100 dark:hover:bg-stone-800",
                )}
                // Keep the focus in the textarea.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(person)}
                onMouseEnter={() => setActive(i)}
              >
                <span className="font-medium">{person.name}</span>
                {person.email && <span className="text-xs text-stone-500">{person.email}</span>}
              </li>
            ))}
          </ul>
        )}
        <p aria-live="polite" className="sr-only">
          {open
            ? `${suggestions.length} ${suggestions.length === 1 ? "person matches" : "people match"}; arrow keys to choose, Enter to insert, Escape to close.`
            : ""}
        </p>
      </MarkdownTabs>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p id={`${id}-hint`} className="text-xs text-stone-500 dark:text-stone-400">
          Markdown supported · @ to mention · Ctrl+Enter to send
        </p>
        <div className="flex gap-2">
          {props.onCancel && (
            <Button variant="secondary" size="sm" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" size="sm" pending={pending} disabled={!draft.trim()}>
            {props.submitLabel}
          </Button>
        </div>
      </div>
    </form>
  );
}
