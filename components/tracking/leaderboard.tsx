import { Trophy } from "lucide-react";
import Link from "next/link";
import { ListLink } from "../ui/list-link";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, Td, Th } from "../ui/table";
import { cn } from "../ui/cn";
import { RunAuthorName } from "./run-author";
import { RunStatus } from "./run-status";

type Status = "FINISHED" | "all";

type Board = {
  key: string;
  goal: "min" | "max";
  threshold: number | null;
  status: Status;
  runs: {
    runId: string;
    runName: string;
    experimentName: string;
    userName: string;
    author: { name: string; email: string } | null;
    status: string;
    value: number;
    passes: boolean | null;
  }[];
};

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(5));

const FILTERS: { value: Status; label: string }[] = [
  { value: "FINISHED", label: "Finished" },
  { value: "all", label: "All runs" },
];

/** Which runs are ranked, as links (the overview is rendered on the server; the choice is in the URL). */
function StatusFilter({ slug, status }: { slug: string; status: Status }) {
  return (
    <nav aria-label="Runs ranked" className="inline-flex h-8 items-center rounded-md border border-stone-300 p-0.5 dark:border-stone-700">
      {FILTERS.map((f) => (
        <Link
          key={f.value}
          href={f.value === "FINISHED" ? `/p/${slug}` : `/p/${slug}?leaderboard=all`}
          scroll={false}
          aria-current={f.value === status ? "true" : undefined}
          className={cn(
            "flex h-full items-center rounded px-2.5 text-sm transition-colors",
            f.value === status
              ? "bg-stone-900 text-white dark:bg-stone-100 dark:text-stone-900"
              : "text-stone-600 hover:bg-stone-100 dark:text-stone-300 dark:hover:bg-stone-800",
          )}
        >
          {f.label}
        </Link>
      ))}
    </nav>
  );
}

/** The project's best runs by its primary metric (finished ones, or all), with pass/fail against its threshold. */
export function Leaderboard({ slug, board, canConfigure }: { slug: string; board: Board | null; canConfigure: boolean }) {
  if (!board) {
    return (
      <Card>
        <CardHeader title="Leaderboard" />
        <div className="p-5">
          <EmptyState
            icon={<Trophy className="size-7" />}
            title="No primary metric yet"
            description="Choose the metric that ranks this project's runs, and whether lower or higher is better."
            action={
              canConfigure ? (
                <Link href={`/p/${slug}/settings`} className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-100">
                  Choose a metric →
                </Link>
              ) : undefined
            }
          />
        </div>
      </Card>
    );
  }
  const bar = board.threshold === null ? "" : ` · passes at ${board.goal === "min" ? "≤" : "≥"} ${format(board.threshold)}`;
  return (
    <Card>
      <CardHeader
        title="Leaderboard"
        description={`${board.key}, ${board.goal === "min" ? "lower" : "higher"} is better${bar}`}
        actions={<StatusFilter slug={slug} status={board.status} />}
      />
      {board.runs.length === 0 ? (
        <p className="px-5 py-4 text-sm text-stone-500">
          No {board.status === "FINISHED" ? "finished " : ""}run has logged {board.key} yet.
        </p>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th className="w-10">#</Th>
              <Th>Run</Th>
              <Th className="text-right">{board.key}</Th>
              {board.threshold !== null && <Th className="text-right">Bar</Th>}
            </tr>
          </thead>
          <tbody>
            {board.runs.map((run, i) => (
              <tr key={run.runId}>
                <Td className="text-stone-400 tabular-nums">{i + 1}</Td>
                <Td>
                  <ListLink href={`/p/${slug}/runs/${run.runId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {run.runName}
                  </ListLink>
                  {run.status !== "FINISHED" && (
                    <span className="ml-2">
                      <RunStatus status={run.status} />
                    </span>
                  )}
                  <div className="text-xs text-stone-500">
                    {run.experimentName} · <RunAuthorName author={run.author} reported={run.userName} />
                  </div>
                </Td>
                <Td className="text-right font-mono tabular-nums">{format(run.value)}</Td>
                {board.threshold !== null && (
                  <Td className="text-right">{run.passes ? <Badge tone="green">pass</Badge> : <Badge tone="red">below bar</Badge>}</Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
