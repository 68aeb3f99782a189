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

const KINDS = ["metrics", "params", "tags"] as const;
/** Keys of one kind the list renders at once; the rest are reached by searching. */
const SHOWN_PER_KIND = 100;

/**
 * The keys of the experiments in view, for a search. The whole catalogue comes in one answer,
 * fetched when the table mounts (an index range on the server; about 25 KB gzipped for 10,000
 * keys) so that a list opens on it, and is searched here at every keystroke; only a kind with more
 * keys than one answer holds is searched on the server.
 */
export function useCatalogue(input: TableQueries["catalogue"], search: string, enabled: boolean) {
  const trpc = useTRPC();
  const whole = useQuery(trpc.runsTable.columns.queryOptions(input));
  const complete = !!whole.data && KINDS.every((kind) => whole.data[kind].keys.length === whole.data[kind].total);
  const term = useDebounced(search.trim(), 200);
  const searched = useQuery({
    ...trpc.runsTable.columns.queryOptions({ ...input, search: term }),
    enabled: enabled && !!whole.data && !complete && term !== "",
    placeholderData: keepPreviousData,
  });
  if (complete || !search.trim()) return { data: whole.data, pending: whole.isFetching, stale: false, error: whole.error };
  // Until the server answers for this search, the keys of the last answer are narrowed here.
  const stale = !searched.data || searched.isPlaceholderData || term !== search.trim();
  return { data: searched.data ?? whole.data, pending: whole.isFetching || searched.isFetching, stale, error: whole.error ?? searched.error };
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

/**
 * The keys of one kind matching the search, grouped by prefix (`train/`, `val/`): at most a hundred
 * rendered, so a project with 10,000 keys keeps a short list, with the count of the rest.
 */
export function KeySection(props: {
  kind: KeyKind;
  keys: string[];
  total: number;
  term: string;
  stale: boolean;
  renderRow: (id: string, key: string) => ReactNode;
}) {
  const matching = matchingKeys(
    props.keys.map((key) => ({ key })),
    props.term,
  );
  if (!matching.length) return null;
  // The keys held are all there are, or the server's answer for this very search.
  const total = matching.length + props.total - props.keys.length;
  const shown = matching.slice(0, SHOWN_PER_KIND);
  return (
    <Section
      title={KIND_TITLE[props.kind]}
      count={props.stale ? undefined : total}
      note={!props.stale && total > shown.length ? `${formatCount(total - shown.length)} more — refine the search` : undefined}
    >
      {groupKeysByPrefix(shown).map((group) => (
        <Fragment key={group.prefix ?? ""}>
          {group.prefix && (
            <li role="presentation" className="px-3 pt-1.5 pb-0.5 font-mono text-[10px] text-stone-400 dark:text-stone-500">
              {group.prefix}
            </li>
          )}
          {group.keys.map(({ key }) => props.renderRow(columnId(props.kind, key), key))}
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
