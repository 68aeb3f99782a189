"use client";

import * as Popover from "@radix-ui/react-popover";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Columns3, Layers, Search, X } from "lucide-react";
import { useEffect, useState, type ReactNode } from "react";
import type { runColumns } from "@/server/services/tracking/runs-table";
import { useTRPC } from "../trpc";
import { buttonClass } from "../ui/button";
import { CheckMark } from "../ui/check-mark";
import { cn } from "../ui/cn";
import { formatCount } from "./format";
import { ATTRIBUTE_LABELS, columnId, columnLabel, type AttributeKey } from "@/server/services/tracking/run-columns";
import type { TableQueries } from "@/server/services/tracking/run-view-state";

export type Catalogue = Awaited<ReturnType<typeof runColumns>>;
type KeyKind = "metrics" | "params" | "tags";

const KIND_TITLE: Record<KeyKind, string> = { metrics: "Metrics", params: "Params", tags: "Tags" };
const KIND_SHORT: Record<KeyKind, string> = { metrics: "metric", params: "param", tags: "tag" };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The keys of the runs in view matching a search, fetched from the server (runs may carry thousands). */
function useCatalogue(input: TableQueries["catalogue"], search: string, enabled: boolean) {
  const trpc = useTRPC();
  const term = useDebounced(search.trim(), 200);
  const query = useQuery({
    ...trpc.runsTable.columns.queryOptions(term ? { ...input, search: term } : input),
    enabled,
    placeholderData: keepPreviousData,
  });
  return { data: query.data, pending: query.isFetching, error: query.error };
}

function SearchField({ value, onChange, placeholder }: { value: string; onChange: (v: string) => void; placeholder: string }) {
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

function Section({ title, count, children, note }: { title: string; count?: number; children: ReactNode; note?: ReactNode }) {
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
function Row({ children, onClick, active, checked }: { children: ReactNode; onClick: () => void; active?: boolean; checked?: boolean }) {
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

const Count = ({ runs }: { runs: number }) => (
  <span className="ml-auto shrink-0 text-xs text-stone-400 tabular-nums" title={`${formatCount(runs)} runs have it`}>
    {formatCount(runs)}
  </span>
);

function cappedNote(shown: number, total: number) {
  return total > shown ? `Showing ${formatCount(shown)} of ${formatCount(total)}; type to narrow the list.` : undefined;
}

/**
 * Chooses the table's columns: the attributes, and the metric, param and tag keys of the runs in
 * view with how many runs carry each, searched on the server.
 */
export function ColumnChooser(props: { catalogue: TableQueries["catalogue"]; columns: string[]; onChange: (columns: string[] | null) => void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const { data, pending, error } = useCatalogue(props.catalogue, search, open);
  const shown = new Set(props.columns);
  const toggle = (id: string) => props.onChange(shown.has(id) ? props.columns.filter((c) => c !== id) : [...props.columns, id]);
  const term = search.trim().toLowerCase();
  const shownKeys = props.columns.filter((id) => !id.startsWith("attributes."));
  const attributes = (Object.keys(ATTRIBUTE_LABELS) as AttributeKey[]).filter(
    (key) => key !== "run_name" && (!term || key.includes(term) || ATTRIBUTE_LABELS[key].toLowerCase().includes(term)),
  );

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className={buttonClass("secondary", "md")}>
        <Columns3 className="size-4" aria-hidden />
        Columns
        <span className="rounded bg-stone-100 px-1.5 text-xs text-stone-600 tabular-nums dark:bg-stone-800 dark:text-stone-300">{props.columns.length}</span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          collisionPadding={12}
          className="z-50 flex max-h-[min(36rem,var(--radix-popover-content-available-height))] w-[22rem] flex-col rounded-lg border border-stone-200 bg-white shadow-xl dark:border-stone-800 dark:bg-stone-900"
        >
          <SearchField value={search} onChange={setSearch} placeholder="Search columns" />
          <div className="min-h-0 flex-1 overflow-y-auto" aria-busy={pending || undefined}>
            {!term && shownKeys.length > 0 && (
              <Section title="Shown">
                {shownKeys.map((id) => (
                  <li key={id} className="flex items-center gap-2 py-0.5 pr-1.5 pl-3 text-sm">
                    <span className="w-12 shrink-0 text-[10px] font-medium tracking-wide text-stone-400 uppercase">
                      {KIND_SHORT[id.slice(0, id.indexOf(".")) as KeyKind]}
                    </span>
                    <span className="truncate font-mono text-xs" title={columnLabel(id)}>
                      {columnLabel(id)}
                    </span>
                    <button
                      type="button"
                      className="ml-auto rounded p-1 text-stone-400 hover:bg-stone-100 hover:text-stone-700 dark:hover:bg-stone-800"
                      aria-label={`Hide ${columnLabel(id)}`}
                      onClick={() => toggle(id)}
                    >
                      <X className="size-3.5" />
                    </button>
                  </li>
                ))}
              </Section>
            )}
            {attributes.length > 0 && (
              <Section title="Attributes">
                {attributes.map((key) => {
                  const id = columnId("attributes", key);
                  return (
                    <Row key={id} onClick={() => toggle(id)} checked={shown.has(id)}>
                      {ATTRIBUTE_LABELS[key]}
                    </Row>
                  );
                })}
              </Section>
            )}
            {error && <p className="px-3 py-2 text-sm text-red-600 dark:text-red-400">The keys could not be loaded: {error.message}</p>}
            {!data && !error && <p className="px-3 py-6 text-center text-sm text-stone-500">Loading keys…</p>}
            {data &&
              (["metrics", "params", "tags"] as const).map((kind) =>
                data[kind].keys.length ? (
                  <Section key={kind} title={KIND_TITLE[kind]} count={data[kind].total} note={cappedNote(data[kind].keys.length, data[kind].total)}>
                    {data[kind].keys.map(({ key, runs }) => {
                      const id = columnId(kind, key);
                      return (
                        <Row key={id} onClick={() => toggle(id)} checked={shown.has(id)}>
                          <span className="truncate font-mono text-xs" title={key}>
                            {key}
                          </span>
                          <Count runs={runs} />
                        </Row>
                      );
                    })}
                  </Section>
                ) : null,
              )}
            {data && term && !attributes.length && !data.metrics.keys.length && !data.params.keys.length && !data.tags.keys.length && (
              <p className="px-3 py-6 text-center text-sm text-stone-500">No column matches &ldquo;{search.trim()}&rdquo;.</p>
            )}
          </div>
          <div className="flex items-center justify-between gap-2 border-t border-stone-200 px-3 py-2 dark:border-stone-800">
            <span className="text-xs text-stone-500 dark:text-stone-400">Counts are runs in view.</span>
            <button type="button" className="text-xs font-medium text-brand-700 hover:underline dark:text-brand-100" onClick={() => props.onChange(null)}>
              Reset to defaults
            </button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Picks the param or tag whose values group the runs, or none. */
export function GroupByPicker(props: { catalogue: TableQueries["catalogue"]; value: string | null; onChange: (column: string | null) => void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const { data, error } = useCatalogue(props.catalogue, search, open);
  const pick = (column: string | null) => {
    props.onChange(column);
    setOpen(false);
  };
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className={buttonClass(props.value ? "primary" : "secondary", "md", "max-w-64")}>
        <Layers className="size-4 shrink-0" aria-hidden />
        <span className="truncate">{props.value ? `Grouped by ${columnLabel(props.value)}` : "Group"}</span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          collisionPadding={12}
          className="z-50 flex max-h-[min(32rem,var(--radix-popover-content-available-height))] w-80 flex-col rounded-lg border border-stone-200 bg-white shadow-xl dark:border-stone-800 dark:bg-stone-900"
        >
          <SearchField value={search} onChange={setSearch} placeholder="Group by a param or tag" />
          <div className="min-h-0 flex-1 overflow-y-auto py-1">
            <ul>
              <Row onClick={() => pick(null)} active={!props.value}>
                No grouping
              </Row>
            </ul>
            {error && <p className="px-3 py-2 text-sm text-red-600">{error.message}</p>}
            {!data && !error && <p className="px-3 py-6 text-center text-sm text-stone-500">Loading keys…</p>}
            {data &&
              (["params", "tags"] as const).map((kind) =>
                data[kind].keys.length ? (
                  <Section key={kind} title={KIND_TITLE[kind]} count={data[kind].total} note={cappedNote(data[kind].keys.length, data[kind].total)}>
                    {data[kind].keys.map(({ key, runs }) => {
                      const id = columnId(kind, key);
                      return (
                        <Row key={id} onClick={() => pick(id)} active={props.value === id}>
                          <span className="truncate font-mono text-xs" title={key}>
                            {key}
                          </span>
                          <Count runs={runs} />
                        </Row>
                      );
                    })}
                  </Section>
                ) : null,
              )}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
