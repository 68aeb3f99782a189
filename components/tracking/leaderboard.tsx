import { Trophy } from "lucide-react";
import Link from "next/link";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, Td, Th } from "../ui/table";
import { RunAuthorName } from "./run-author";

type Board = {
  key: string;
  goal: "min" | "max";
  threshold: number | null;
  runs: { runId: string; runName: string; experimentName: string; userName: string; author: { name: string; email: string } | null; value: number; passes: boolean | null }[];
};

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(5));

/** The project's best runs by its primary metric, with pass/fail against its threshold. */
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
      <CardHeader title="Leaderboard" description={`${board.key}, ${board.goal === "min" ? "lower" : "higher"} is better${bar}`} />
      {board.runs.length === 0 ? (
        <p className="px-5 py-4 text-sm text-stone-500">No run has logged {board.key} yet.</p>
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
                  <Link href={`/p/${slug}/runs/${run.runId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {run.runName}
                  </Link>
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
