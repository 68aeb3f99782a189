"use client";

import { useDeferredValue, useMemo, useState } from "react";
import { SearchField } from "../ui/search-field";
import { ScrollingTable } from "../ui/scrolling-table";
import { Td, Th } from "../ui/table";

const ROW_HEIGHT = 33;

/** Hundreds or thousands of params or tags: searchable, windowed, each value whole in its tooltip. */
export function LongKeyValueTable({ items, label }: { items: { key: string; value: string }[]; label: string }) {
  const [search, setSearch] = useState("");
  const needle = useDeferredValue(search).trim().toLowerCase();
  const rows = useMemo(
    () => (needle ? items.filter((i) => i.key.toLowerCase().includes(needle) || i.value.toLowerCase().includes(needle)) : items),
    [items, needle],
  );
  return (
    <div>
      <div className="px-5 pb-3">
        <SearchField
          label={`Search ${label.toLowerCase()}`}
          value={search}
          onChange={setSearch}
          placeholder={`Search ${items.length.toLocaleString()}`}
          className="max-w-none"
        />
      </div>
      <ScrollingTable
        label={label}
        rows={rows}
        rowHeight={ROW_HEIGHT}
        header={
          <tr>
            <Th className="w-1/2">Key</Th>
            <Th>Value</Th>
          </tr>
        }
        renderRow={(item) => (
          <tr key={item.key} style={{ height: ROW_HEIGHT }}>
            <Td className="truncate py-0 font-mono text-xs text-stone-600 dark:text-stone-400" title={item.key}>
              {item.key}
            </Td>
            <Td className="truncate py-0 font-mono text-xs" title={item.value}>
              {item.value}
            </Td>
          </tr>
        )}
      />
    </div>
  );
}
