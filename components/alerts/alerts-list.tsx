import { Badge } from "../ui/badge";
import { Time } from "../ui/time";
import { ResolveAlertButton } from "./resolve-alert-button";
import { KIND_LABELS, type AlertRow } from "./types";

/** Alerts, newest opened first: what holds, under which rule, since when, and (for maintainers) a way to resolve by hand. */
export function AlertsList({ slug, alerts, canResolve }: { slug: string; alerts: AlertRow[]; canResolve: boolean }) {
  return (
    <ul className="divide-y divide-stone-200 dark:divide-stone-800">
      {alerts.map((a) => (
        <li key={a.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start sm:justify-between sm:px-5">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              {a.status === "open" ? <Badge tone="red">open</Badge> : <Badge tone="green">resolved</Badge>}
              <span className="text-sm font-medium break-words">{a.title}</span>
            </div>
            <p className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-stone-500 dark:text-stone-400">
              <span>
                {KIND_LABELS[a.kind].label} · rule <span className="font-medium text-stone-700 dark:text-stone-300">{a.ruleName}</span>
              </span>
              <span>
                opened <Time value={a.openedAt} />
              </span>
              {a.status === "open" ? (
                <span>
                  last seen <Time value={a.lastSeenAt} />
                </span>
              ) : (
                <span>
                  resolved <Time value={a.resolvedAt} />
                </span>
              )}
              <code className="text-[11px]">{a.subject}</code>
            </p>
          </div>
          {canResolve && a.status === "open" && <ResolveAlertButton slug={slug} alertId={a.id} />}
        </li>
      ))}
    </ul>
  );
}
