"use client";

import { useId, useState } from "react";
import { cn } from "../ui/cn";
import { Table, Td, Th } from "../ui/table";
import type { PromotionRequestPage } from "./types";

/** The candidate's params next to the holder's; by default only the ones that differ. */
export function ParamComparison({ params, hasHolder }: { params: PromotionRequestPage["comparison"]["params"]; hasHolder: boolean }) {
  const id = useId();
  const differing = params.filter((p) => p.differs).length;
  const [onlyDiffs, setOnlyDiffs] = useState(hasHolder && differing > 0);
  const filtering = hasHolder && onlyDiffs;
  const rows = filtering ? params.filter((p) => p.differs) : params;
  if (!params.length) return <p className="px-5 py-4 text-sm text-stone-500">Neither source run logged parameters.</p>;
  return (
    <div>
      {hasHolder && (
        <div className="flex items-center justify-between gap-3 px-5 py-2 text-xs text-stone-500 dark:text-stone-400">
          <span>
            {differing} of {params.length} differ
          </span>
          <label htmlFor={id} className="inline-flex cursor-pointer items-center gap-2 select-none">
            <span>Only differences</span>
            <button
              id={id}
              type="button"
              role="switch"
              aria-checked={onlyDiffs}
              onClick={() => setOnlyDiffs(!onlyDiffs)}
              className={cn(
                "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors",
                onlyDiffs ? "bg-brand-600" : "bg-stone-300 dark:bg-stone-700",
              )}
            >
              <span
                className={cn("inline-block size-4 rounded-full bg-white shadow transition-transform", onlyDiffs ? "translate-x-4.5" : "translate-x-0.5")}
              />
            </button>
          </label>
        </div>
      )}
      <Table>
        <thead>
          <tr>
            <Th>Parameter</Th>
            <Th>Candidate</Th>
            {hasHolder && <Th>Holder</Th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.key} className={p.differs ? "bg-amber-50/50 dark:bg-amber-950/20" : undefined}>
              <Td className="font-mono text-xs">
                {p.differs && <span className="mr-1.5 inline-block size-1.5 rounded-full bg-amber-500 align-middle" aria-label="differs" />}
                {p.key}
              </Td>
              <Td className={cn("font-mono text-xs break-all", p.differs && "font-semibold")}>
                {p.candidate ?? <span className="font-sans text-stone-400">not set</span>}
              </Td>
              {hasHolder && (
                <Td className="font-mono text-xs break-all text-stone-500 dark:text-stone-400">
                  {p.holder ?? <span className="font-sans text-stone-400">not set</span>}
                </Td>
              )}
            </tr>
          ))}
          {!rows.length && (
            <tr>
              <Td colSpan={3} className="text-sm text-stone-500">
                Same parameters as the holder.
              </Td>
            </tr>
          )}
        </tbody>
      </Table>
    </div>
  );
}
