import Link from "next/link";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { RunAuthorName } from "./run-author";
import { formatDuration, RunStatus } from "./run-status";

type Run = {
  info: { runId: string; runName: string; experimentId: string; status: string; startTime: number; endTime: number | null; userId: string };
  data: { metrics: { key: string; value: number }[] };
  author: { name: string; email: string } | null;
};

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(4));

/** A compact list of runs with their first few latest metrics. */
export function RunsList({ slug, runs, experimentNames }: { slug: string; runs: Run[]; experimentNames?: Map<string, string> }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Run</Th>
          {experimentNames && <Th className="hidden md:table-cell">Experiment</Th>}
          <Th>Status</Th>
          <Th className="hidden lg:table-cell">Metrics</Th>
          <Th className="hidden sm:table-cell">Started</Th>
          <Th className="hidden sm:table-cell">Duration</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.info.runId}>
            <Td>
              <Link href={`/p/${slug}/runs/${run.info.runId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                {run.info.runName}
              </Link>
              <RunAuthorName author={run.author} reported={run.info.userId} className="block text-xs text-stone-500" />
            </Td>
            {experimentNames && <Td className="hidden md:table-cell">{experimentNames.get(run.info.experimentId) ?? run.info.experimentId}</Td>}
            <Td>
              <RunStatus status={run.info.status} />
            </Td>
            <Td className="hidden font-mono text-xs text-stone-600 lg:table-cell dark:text-stone-400">
              {run.data.metrics
                .slice(0, 3)
                .map((m) => `${m.key}=${format(m.value)}`)
                .join("  ")}
            </Td>
            <Td className="hidden whitespace-nowrap text-stone-500 sm:table-cell">
              <Time value={new Date(run.info.startTime)} />
            </Td>
            <Td className="hidden whitespace-nowrap text-stone-500 sm:table-cell">{formatDuration(run.info.startTime, run.info.endTime)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
