import { Download, History } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { changedFields, describeChange } from "./audit-diff";

type Event = {
  id: number;
  projectSlug: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
};

const SHOWN = 4;

/** The fields an entry changed, `key: old → new`, with the recorded JSON in a disclosure. */
function Change({ event }: { event: Event }) {
  if (event.before == null && event.after == null) return <span className="font-mono">{`${event.targetType} ${event.targetId}`}</span>;
  const whole = { created: event.before == null, deleted: event.after == null };
  const lines = changedFields(event.before, event.after).map((c) => describeChange(c, whole));
  return (
    <div className="min-w-0 space-y-1">
      {lines.length ? (
        <ul className="space-y-0.5 font-mono">
          {lines.slice(0, SHOWN).map((line, i) => (
            <li key={i} className="truncate" title={line}>
              {line}
            </li>
          ))}
          {lines.length > SHOWN && <li className="text-stone-400">and {lines.length - SHOWN} more</li>}
        </ul>
      ) : (
        <p className="text-stone-400">No field changed</p>
      )}
      <details>
        <summary className="cursor-pointer text-stone-400 select-none hover:text-stone-600 dark:hover:text-stone-300">Full JSON</summary>
        <dl className="mt-1 space-y-1">
          {(["before", "after"] as const).map((side) => (
            <div key={side}>
              <dt className="text-stone-500">{side}</dt>
              <dd>
                <pre className="max-h-64 overflow-auto rounded bg-stone-100 p-2 font-mono break-all whitespace-pre-wrap dark:bg-stone-800">
                  {JSON.stringify(event[side] ?? null, null, 2)}
                </pre>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}

/** An audit trail page: newest first, with a link to older entries and the download of the whole chained log. */
export function AuditTable(props: { title: string; events: Event[]; nextBefore: number | null; basePath: string; exportHref: string; showProject?: boolean }) {
  return (
    <Card>
      <CardHeader
        title={props.title}
        description="Every change to projects, members, roles, tokens and users."
        actions={
          <a
            href={props.exportHref}
            className={buttonClass("secondary")}
            download
            title="Download the log with its hash chain as JSON Lines, to check offline with npx cairn audit verify --file"
          >
            <Download className="size-4" aria-hidden /> Export JSONL
          </a>
        }
      />
      {props.events.length === 0 ? (
        <div className="p-5">
          <EmptyState icon={<History className="size-7" />} title="No changes recorded yet" />
        </div>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>Action</Th>
              {props.showProject && <Th>Project</Th>}
              <Th>Change</Th>
            </tr>
          </thead>
          <tbody>
            {props.events.map((e) => (
              <tr key={e.id}>
                <Td className="whitespace-nowrap text-stone-500">
                  <Time value={e.createdAt} />
                </Td>
                <Td className="max-w-[14rem] truncate">{e.actorLabel}</Td>
                <Td>
                  <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs dark:bg-stone-800">{e.action}</code>
                </Td>
                {props.showProject && <Td className="font-mono text-xs">{e.projectSlug ?? "—"}</Td>}
                <Td className="max-w-md text-xs text-stone-600 dark:text-stone-400">
                  <Change event={e} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {props.nextBefore && (
        <div className="border-t border-stone-200 px-5 py-3 text-right dark:border-stone-800">
          <Link href={`${props.basePath}?before=${props.nextBefore}`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
            Older entries →
          </Link>
        </div>
      )}
    </Card>
  );
}
