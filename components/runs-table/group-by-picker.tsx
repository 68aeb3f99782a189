"use client";

import * as Popover from "@radix-ui/react-popover";
import { Layers } from "lucide-react";
import { useState } from "react";
import { columnLabel } from "@/server/services/tracking/run-columns";
import type { TableQueries } from "@/server/services/tracking/run-view-state";
import { buttonClass } from "../ui/button";
import { KeyLabel, KeySection, Row, SearchField, useCatalogue } from "./key-list";

/** Picks the param or tag whose values group the runs, or none. */
export function GroupByPicker(props: { catalogue: TableQueries["catalogue"]; value: string | null; onChange: (column: string | null) => void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const { data, stale, error } = useCatalogue(props.catalogue, search, open);
  const term = search.trim().toLowerCase();
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
              (["params", "tags"] as const).map((kind) => (
                <KeySection
                  key={kind}
                  kind={kind}
                  keys={data[kind].keys}
                  total={data[kind].total}
                  term={term}
                  stale={stale}
                  renderRow={(id, key) => (
                    <Row key={id} onClick={() => pick(id)} active={props.value === id}>
                      <KeyLabel name={key} />
                    </Row>
                  )}
                />
              ))}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
