import { Card, CardHeader } from "../ui/card";
import { Time } from "../ui/time";

type Member = { userId: string; name: string; runs: number; lastActive: number | null };

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();

/** People who logged runs in the last week. */
export function ActiveMembers({ members }: { members: Member[] }) {
  return (
    <Card>
      <CardHeader title="Active this week" />
      {members.length === 0 ? (
        <p className="px-5 py-4 text-sm text-stone-500">Nobody has logged a run this week.</p>
      ) : (
        <ul className="divide-y divide-stone-100 dark:divide-stone-800">
          {members.map((m) => (
            <li key={m.userId} className="flex items-center gap-3 px-5 py-2.5">
              <span
                className="inline-flex size-7 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700 dark:bg-brand-700/30 dark:text-brand-100"
                aria-hidden
              >
                {initials(m.name)}
              </span>
              <span className="flex-1 truncate text-sm font-medium">{m.name}</span>
              <span className="text-xs text-stone-500">
                {m.runs} run{m.runs === 1 ? "" : "s"} · {m.lastActive ? <Time value={new Date(m.lastActive)} /> : "—"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
