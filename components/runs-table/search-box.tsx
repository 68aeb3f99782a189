"use client";

import * as Popover from "@radix-ui/react-popover";
import { CornerDownLeft, HelpCircle, Search, X } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "../ui/cn";

const EXAMPLES = [
  { filter: "metrics.acc > 0.9", what: "a metric's latest value" },
  { filter: "params.model = 'xgb'", what: "params are text: quote the value" },
  { filter: "tags.team ILIKE '%fraud%'", what: "LIKE and ILIKE, with % as the wildcard" },
  { filter: "attributes.status = 'FAILED' or metrics.loss > 1", what: "OR" },
  { filter: "metrics.acc > 0.9 and (params.model = 'xgb' or tags.team = 'fraud')", what: "parentheses" },
  { filter: "attributes.start_time > 1714521600000", what: "times in epoch milliseconds" },
  { filter: "params.`learning rate` = '0.01'", what: "keys with spaces in backticks" },
];

/** The server's message says where the filter went wrong ("… at position 12 …"). */
function errorPosition(message: string): number | null {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

/** The part of the filter around `position`, with a caret under it. */
function Caret({ text, position }: { text: string; position: number }) {
  const from = Math.max(0, position - 48);
  const shown = text.slice(from, position + 48);
  const lead = from > 0 ? "…" : "";
  return (
    <pre
      className="mt-1.5 overflow-x-auto rounded bg-red-100/60 px-2 py-1 font-mono text-xs leading-5 text-red-900 dark:bg-red-950/60 dark:text-red-200"
      aria-hidden
    >
      {lead}
      {shown}
      {"\n"}
      {" ".repeat(lead.length + position - from)}^
    </pre>
  );
}

/**
 * The filter box: the same grammar as the API (MLflow's, with OR and parentheses), parsed by the
 * server. It submits on Enter; the server's parse error appears under it, pointing at the position.
 */
export function SearchBox(props: { value: string; error: string | null; onSubmit: (query: string) => void; busy?: boolean }) {
  const [draft, setDraft] = useState(props.value);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  useEffect(() => setDraft(props.value), [props.value]);
  const dirty = draft.trim() !== props.value;
  const position = props.error ? errorPosition(props.error) : null;

  return (
    <div className="min-w-0 flex-1">
      <div className="relative">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
        <label htmlFor={`${errorId}-input`} className="sr-only">
          Filter runs
        </label>
        <input
          ref={input}
          id={`${errorId}-input`}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              props.onSubmit(draft.trim());
            } else if (e.key === "Escape" && dirty) {
              e.preventDefault();
              setDraft(props.value);
            }
          }}
          spellCheck={false}
          autoComplete="off"
          placeholder="metrics.acc > 0.9 and (params.model = 'xgb' or tags.team = 'fraud')"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? errorId : `${errorId}-hint`}
          className={cn(
            "block h-9 w-full rounded-md border border-stone-300 bg-white pr-24 pl-8 font-mono text-[13px] text-stone-900 shadow-xs placeholder:font-sans placeholder:text-stone-400",
            "focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100",
            props.error && "border-red-400 focus:border-red-500 focus:ring-red-500/20 dark:border-red-800",
          )}
        />
        <span id={`${errorId}-hint`} className="sr-only">
          Press Enter to apply the filter
        </span>
        <div className="absolute top-1/2 right-1.5 flex -translate-y-1/2 items-center gap-0.5">
          {dirty && (
            <kbd className="mr-1 hidden items-center gap-1 rounded border border-stone-200 bg-stone-50 px-1.5 py-0.5 font-sans text-[11px] text-stone-500 sm:inline-flex dark:border-stone-700 dark:bg-stone-800 dark:text-stone-400">
              Enter <CornerDownLeft className="size-3" aria-hidden />
            </kbd>
          )}
          {props.busy && <span className="mr-1 size-3.5 animate-spin rounded-full border-2 border-stone-300 border-r-transparent" aria-hidden />}
          {draft && (
            <button
              type="button"
              className="rounded p-1 text-stone-400 hover:bg-stone-100 hover:text-stone-700 dark:hover:bg-stone-800 dark:hover:text-stone-200"
              aria-label="Clear the filter"
              onClick={() => {
                setDraft("");
                if (props.value) props.onSubmit("");
                input.current?.focus();
              }}
            >
              <X className="size-3.5" />
            </button>
          )}
          <SyntaxHelp
            onPick={(filter) => {
              setDraft(filter);
              input.current?.focus();
            }}
          />
        </div>
      </div>
      {props.error && (
        <div id={errorId} role="alert" className="mt-1.5 text-xs text-red-700 dark:text-red-300">
          <span className="font-medium">Filter error:</span> {props.error}
          {position !== null && position <= props.value.length && <Caret text={props.value} position={position} />}
        </div>
      )}
    </div>
  );
}

function SyntaxHelp({ onPick }: { onPick: (filter: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className="rounded p-1 text-stone-400 hover:bg-stone-100 hover:text-stone-700 dark:hover:bg-stone-800 dark:hover:text-stone-200"
        aria-label="Filter syntax"
      >
        <HelpCircle className="size-3.5" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          className="z-50 w-[30rem] max-w-[calc(100vw-2rem)] rounded-lg border border-stone-200 bg-white p-3 text-sm shadow-xl dark:border-stone-800 dark:bg-stone-900"
        >
          <p className="mb-2 text-xs text-stone-500 dark:text-stone-400">
            MLflow&apos;s search syntax, plus <code className="font-mono">OR</code> and parentheses. The same text works in{" "}
            <code className="font-mono">mlflow.search_runs(filter_string=…)</code>. Pick an example:
          </p>
          <ul className="space-y-0.5">
            {EXAMPLES.map((example) => (
              <li key={example.filter}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1.5 text-left hover:bg-stone-100 dark:hover:bg-stone-800"
                  onClick={() => {
                    onPick(example.filter);
                    setOpen(false);
                  }}
                >
                  <code className="block font-mono text-xs text-stone-900 dark:text-stone-100">{example.filter}</code>
                  <span className="text-xs text-stone-500 dark:text-stone-400">{example.what}</span>
                </button>
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
