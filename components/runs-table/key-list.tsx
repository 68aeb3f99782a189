"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { Fragment, useEffect, useState, type ReactNode } from "react";
import { columnId } from "@/server/services/tracking/run-columns";
import type { TableQueries } from "@/server/services/tracking/run-view-state";
import { useTRPC } from "../trpc";
import { CheckMark } from "../ui/check-mark";
import { cn } from "../ui/cn";
import { formatCount } from "./format";
import { groupKeysByPrefix, matchingKeys } from "./key-groups";

/* The parts the column chooser and the group-by picker share: the key search and the key list. */

export type KeyKind = "metrics" | "params" | "tags";

const KIND_TITLE: Record<KeyKind, string> = { metrics: "Metrics", params: "Params", tags: "Tags" };
export const KIND_SHORT: Record<KeyKind, string> = { metrics: "metric", params: "param", tags: "tag" };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The keys of the runs in view matching a search, fetched from the server (runs may carry thousands). */
export function useCatalogue(input: TableQueries["catalogue"], search: string, enabled: boolean) {
  const trpc = useTRPC();
  const term = useDebounced(search.trim(), 200);
  const query = useQuery({
    ...trpc.runsTable.columns.queryOptions(term ? { ...input, search: term } : input),
    enabled,
    placeholderData: keepPreviousData,
  });
  // Until the server answers for this search, the keys of the last answer are narrowed here.
  const stale = query.isPlaceholderData || term !== search.trim();
  return { data: query.data, pending: query.isFetching, stale, error: query.error };
}

export function SearchField({ value, onChange, placeholder }: { value: string; onChange: (v: string) => void; placeholder: string }) {
  return (
    <div className="relative border-b border-stone-200 p-2 dark:border-stone-800">
      <Search className="pointer-events-none absolute top-1/2 left-4 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
      <input
        autoFocus
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-label={placeholder}
        spellCheck={false}
        className="h-8 w-full rounded-md border border-stone-300 bg-white pr-2 pl-8 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-stone-700 dark:bg-stone-950"
      />
    </div>
  );
}

export function Section({ title, count, children, note }: { title: string; count?: number; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="py-1.5">
      <h3 className="flex items-center justify-between px-3 pb-1 text-[11px] font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">
        {title}
        {count !== undefined && <span className="font-normal tabular-nums normal-case">{formatCount(count)} keys</span>}
      </h3>
      <ul>{children}</ul>
      {note && <p className="px-3 pt-1 text-xs text-stone-500 dark:text-stone-400">{note}</p>}
    </section>
  );
}

/** A pickable key: a checkbox when `checked` is given (several may be chosen), else a single choice. */
export function Row({ children, onClick, active, checked }: { children: ReactNode; onClick: () => void; active?: boolean; checked?: boolean }) {
  return (
    <li>
      <button
        type="button"
        role={checked === undefined ? undefined : "checkbox"}
        aria-checked={checked}
        aria-current={active || undefined}
        onClick={onClick}
        className={cn(
          "flex w-full items-center gap-2.5 px-3 py-1.5 text-left text-sm hover:bg-stone-100 focus-visible:bg-stone-100 focus-visible:outline-none dark:hover:bg-stone-800 dark:focus-visible:bg-stone-800",
          active && "bg-brand-50 dark:bg-brand-700/20",
        )}
      >
        {checked !== undefined && <CheckMark checked={checked} />}
        {children}
      </button>
    </li>
  );
}

export const Count = ({ runs }: { runs: number }) => (
  <span className="ml-auto shrink-0 text-xs text-stone-400 tabular-nums" title={`${formatCount(runs)} runs have it`}>
    {formatCount(runs)}
  </span>
);

function cappedNote(shown: number, total: number) {
  return total > shown ? `${formatCount(total - shown)} more — refine the search` : undefined;
}

/**
 * The keys of one kind matching the search, grouped by prefix (`train/`, `val/`). The server sends
 * at most a page of them with the uncapped total, so a project with 10,000 keys renders a hundred.
 */
export function KeySection(props: {
  kind: KeyKind;
  keys: { key: string; runs: number }[];
  total: number;
  term: string;
  stale: boolean;
  renderRow: (id: string, key: string, runs: number) => ReactNode;
}) {
  const keys = matchingKeys(props.keys, props.term);
  if (!keys.length) return null;
  return (
    <Section
      title={KIND_TITLE[props.kind]}
      count={props.stale ? undefined : props.total}
      note={props.stale ? undefined : cappedNote(props.keys.length, props.total)}
    >
      {groupKeysByPrefix(keys).map((group) => (
        <Fragment key={group.prefix ?? ""}>
          {group.prefix && (
            <li role="presentation" className="px-3 pt-1.5 pb-0.5 font-mono text-[10px] text-stone-400 dark:text-stone-500">
              {group.prefix}
            </li>
          )}
          {group.keys.map(({ key, runs }) => props.renderRow(columnId(props.kind, key), key, runs))}
        </Fragment>
      ))}
    </Section>
  );
}

export const KeyLabel = ({ name }: { name: string }) => (
  <span className="truncate font-mono text-xs" title={name}>
    {name}
  </span>
);
