import { Database } from "lucide-react";
import { Table, Td, Th } from "../ui/table";
import { formatValue } from "./format";

export type Dataset = { name: string; digest: string; sourceType: string; context: string | null };

/** The latest value of each metric of a version's source run. */
export function MetricsTable({ metrics, empty = "The source run logged no metrics." }: { metrics: Record<string, number>; empty?: string }) {
  const keys = Object.keys(metrics).sort();
  if (!keys.length) return <p className="px-5 py-4 text-sm text-stone-500">{empty}</p>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>Metric</Th>
          <Th className="text-right">Latest value</Th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key}>
            <Td className="font-mono text-xs">{key}</Td>
            <Td className="text-right font-mono text-xs tabular-nums">{formatValue(metrics[key])}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const contextTone: Record<string, string> = {
  training: "bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-900/30 dark:text-sky-300 dark:ring-sky-800",
  train: "bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-900/30 dark:text-sky-300 dark:ring-sky-800",
  validation: "bg-violet-50 text-violet-700 ring-violet-200 dark:bg-violet-900/30 dark:text-violet-300 dark:ring-violet-800",
  eval: "bg-violet-50 text-violet-700 ring-violet-200 dark:bg-violet-900/30 dark:text-violet-300 dark:ring-violet-800",
  test: "bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-900/30 dark:text-emerald-300 dark:ring-emerald-800",
};

export function DatasetContext({ context }: { context: string | null }) {
  if (!context) return <span className="text-stone-400">—</span>;
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${contextTone[context.toLowerCase()] ?? "bg-stone-100 text-stone-700 ring-stone-200 dark:bg-stone-800 dark:text-stone-300 dark:ring-stone-700"}`}
    >
      {context}
    </span>
  );
}

/** A digest, shortened, with the whole value on hover and for copying. */
export function Digest({ value }: { value: string }) {
  return (
    <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-[11px] text-stone-700 dark:bg-stone-800 dark:text-stone-300" title={value}>
      {value.length > 12 ? value.slice(0, 12) : value}
    </code>
  );
}

/** The datasets a version's source run used, with their digests and context (training, evaluation…). */
export function DatasetsList({ datasets, empty = "The source run logged no datasets." }: { datasets: Dataset[]; empty?: string }) {
  if (!datasets.length) {
    return (
      <p className="flex items-center gap-2 px-5 py-4 text-sm text-stone-500">
        <Database className="size-4" aria-hidden /> {empty}
      </p>
    );
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>Dataset</Th>
          <Th>Digest</Th>
          <Th>Context</Th>
          <Th className="hidden sm:table-cell">Source</Th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((d, i) => (
          <tr key={`${d.name}:${d.digest}:${i}`}>
            <Td className="font-medium">{d.name}</Td>
            <Td>
              <Digest value={d.digest} />
            </Td>
            <Td>
              <DatasetContext context={d.context} />
            </Td>
            <Td className="hidden text-xs text-stone-500 sm:table-cell">{d.sourceType}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
