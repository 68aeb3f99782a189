"use client";

import { useMemo, useState } from "react";
import type { CompareKey, CompareRun } from "@/server/services/tracking/compare";
import { Card, CardHeader } from "../ui/card";
import { cn } from "../ui/cn";
import { onlyDifferencesByDefault, valuesDiffer } from "./compare-data";
import { KeyFilter, RunHeads, stickyKey, Switch, type RunColor } from "./run-columns";

/**
 * Params (or tags) of the runs side by side, one row per key of any run. Rows where the runs
 * disagree are marked; "Only differences" hides the others, and starts on when there are many keys.
 */
export function ValueTable(props: { title: string; noun: string; runs: CompareRun[]; palette: RunColor[]; keys: CompareKey[]; field: "params" | "tags" }) {
  const { runs, keys, field } = props;
  const [onlyDiffs, setOnlyDiffs] = useState(() => onlyDifferencesByDefault(keys.length));
  const [filter, setFilter] = useState("");

  const rows = useMemo(() => {
    const maps = runs.map((run) => new Map(run[field].map((kv) => [kv.key, kv.value])));
    return keys.map(({ key }) => {
      const values = maps.map((m) => m.get(key));
      return { key, values, differs: valuesDiffer(values) };
    });
  }, [runs, keys, field]);
  const differing = rows.filter((r) => r.differs).length;
  const needle = filter.trim().toLowerCase();
  const shown = rows.filter((r) => (!onlyDiffs || r.differs) && (!needle || r.key.toLowerCase().includes(needle)));
  const plural = (n: number) => `${n} ${props.noun}${n === 1 ? "" : "s"}`;

  return (
    <Card>
      <CardHeader
        title={props.title}
        description={keys.length ? `${plural(keys.length)}, ${differing} differ${differing === 1 ? "s" : ""}` : `No run logged any ${props.noun}.`}
        actions={
          keys.length > 0 && (
            <div className="flex flex-wrap items-center gap-3">
              <KeyFilter value={filter} onChange={setFilter} label={`Filter ${props.noun}s`} />
              <Switch checked={onlyDiffs} onChange={setOnlyDiffs} label="Only differences" />
            </div>
          )
        }
      />
      {keys.length > 0 && (
        <div className="max-h-[32rem] overflow-auto">
          <table className="w-full border-separate border-spacing-0 text-left text-sm">
            <thead className="sticky top-0 z-[2] bg-white dark:bg-stone-900">
              <RunHeads runs={runs} palette={props.palette} keyLabel={props.noun} />
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.key} className={cn("group", row.differs && "bg-amber-50/60 dark:bg-amber-950/20")}>
                  <th
                    scope="row"
                    className={cn(
                      stickyKey,
                      "border-b border-stone-100 px-3 py-2 font-mono text-xs font-normal break-all text-stone-700 dark:border-stone-800/60 dark:text-stone-300",
                      row.differs && "bg-amber-50 dark:bg-[#2a2118]",
                    )}
                  >
                    {row.differs && <span className="mr-1.5 inline-block size-1.5 rounded-full bg-amber-500 align-middle" aria-label="differs" />}
                    {row.key}
                  </th>
                  {row.values.map((value, i) => (
                    <td key={runs[i]!.runId} className="max-w-64 border-b border-stone-100 px-3 py-2 font-mono text-xs break-all dark:border-stone-800/60">
                      {value === undefined ? <span className="font-sans text-stone-400">—</span> : value}
                    </td>
                  ))}
                </tr>
              ))}
              {!shown.length && (
                <tr>
                  <td colSpan={runs.length + 1} className="px-5 py-4 text-sm text-stone-500 dark:text-stone-400">
                    {needle
                      ? `No ${props.noun} matches “${filter.trim()}”${onlyDiffs ? " among the differences" : ""}.`
                      : `Every run has the same ${props.noun}s.`}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
