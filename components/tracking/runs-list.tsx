import { ListLink } from "../ui/list-link";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { RunAuthorName } from "./run-author";
import { formatDuration, RunStatus } from "./run-status";

type Run = {
  info: { runId: string; runName: string; experimentId: string; status: string; startTime: number; endTime: number | null; userId: string };
  author: { name: string; email: string } | null;
  /** The run's latest value of `metricKey`, if it logged it. */
  metric: number | null;
};

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(4));

/** A compact list of runs with one metric, the same for every row, so its column reads down. */
export function RunsList(props: { slug: string; runs: Run[]; metricKey: string | null; experimentNames?: Map<string, string> }) {
  const { slug, runs, metricKey, experimentNames } = props;
  return (
    <Table>
      <thead>
        <tr>
          <Th>Run</Th>
          {experimentNames && <Th className="hidden md:table-cell">Experiment</Th>}
          <Th>Status</Th>
          {metricKey && <Th className="hidden text-right font-mono text-xs normal-case lg:table-cell">{metricKey}</Th>}
          <Th className="hidden sm:table-cell">Started</Th>
          <Th className="hidden sm:table-cell">Duration</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.info.runId}>
            <Td>
              <ListLink href={`/p/${slug}/runs/${run.info.runId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                {run.info.runName}
              </ListLink>
              <RunAuthorName author={run.author} reported={run.info.userId} className="block text-xs text-stone-500" />
            </Td>
            {experimentNames && <Td className="hidden md:table-cell">{experimentNames.get(run.info.experimentId) ?? run.info.experimentId}</Td>}
            <Td>
              <RunStatus status={run.info.status} />
            </Td>
            {metricKey && (
              <Td className="hidden text-right font-mono text-xs text-stone-600 tabular-nums lg:table-cell dark:text-stone-400">
                {run.metric === null ? <span className="text-stone-400">—</span> : format(run.metric)}
              </Td>
            )}
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
