"use client";

import * as Popover from "@radix-ui/react-popover";
import { Columns3, X } from "lucide-react";
import { useState } from "react";
import { ATTRIBUTE_LABELS, columnId, columnLabel, type AttributeKey } from "@/server/services/tracking/run-columns";
import type { TableQueries } from "@/server/services/tracking/run-view-state";
import { buttonClass } from "../ui/button";
import { KeyLabel, KeySection, KIND_SHORT, Row, SearchField, Section, useCatalogue, type KeyKind } from "./key-list";

/**
 * Chooses the table's columns: the attributes, and the metric, param and tag keys logged in the
 * experiments in view.
 */
export function ColumnChooser(props: { catalogue: TableQueries["catalogue"]; columns: string[]; onChange: (columns: string[] | null) => void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const { data, pending, stale, error } = useCatalogue(props.catalogue, search, open);
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
              (["metrics", "params", "tags"] as const).map((kind) => (
                <KeySection
                  key={kind}
                  kind={kind}
                  keys={data[kind].keys}
                  total={data[kind].total}
                  term={term}
                  stale={stale}
                  renderRow={(id, key) => (
                    <Row key={id} onClick={() => toggle(id)} checked={shown.has(id)}>
                      <KeyLabel name={key} />
                    </Row>
                  )}
                />
              ))}
            {data && term && !stale && !attributes.length && !data.metrics.keys.length && !data.params.keys.length && !data.tags.keys.length && (
              <p className="px-3 py-6 text-center text-sm text-stone-500">No column matches &ldquo;{search.trim()}&rdquo;.</p>
            )}
          </div>
          <div className="flex items-center justify-between gap-2 border-t border-stone-200 px-3 py-2 dark:border-stone-800">
            <span className="text-xs text-stone-500 dark:text-stone-400">Keys logged in the experiments in view.</span>
            <button type="button" className="text-xs font-medium text-brand-700 hover:underline dark:text-brand-100" onClick={() => props.onChange(null)}>
              Reset to defaults
            </button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
