import { CircleCheck, CircleX, RotateCcw, TriangleAlert, UserCheck } from "lucide-react";
import { ListLink } from "../ui/list-link";
import { requestHref, targetText } from "../registry/format";
import { cn } from "../ui/cn";
import { Time } from "../ui/time";
import { RequestStatusIcon, STATUS_LOOKS } from "./request-status";
import type { RequestSummary } from "./types";

/**
 * Promotion requests like a pull request list: state, title, who asked and when, whether the gates
 * pass and how many approvals stand. `required` gives the approvals the target's rule asks for now.
 */
export function RequestsList({ slug, requests, required }: { slug: string; requests: RequestSummary[]; required: (r: RequestSummary) => number | null }) {
  return (
    <ul className="divide-y divide-stone-100 dark:divide-stone-800">
      {requests.map((r) => {
        const open = r.open;
        const needed = open ? required(r) : null;
        return (
          <li key={r.number} className="flex items-start gap-3 px-4 py-3 hover:bg-stone-50/70 sm:px-5 dark:hover:bg-stone-800/30">
            <RequestStatusIcon status={r.status} className="mt-0.5" />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <ListLink
                  href={requestHref(slug, r.number)}
                  className="font-semibold text-stone-900 hover:text-brand-700 hover:underline dark:text-stone-100 dark:hover:text-brand-100"
                >
                  {r.model} v{r.version} → {targetText(r.target)}
                  {r.target.kind === "tag" && r.targetValue !== null && <span className="font-normal text-stone-500">={r.targetValue}</span>}
                </ListLink>
                {r.rollback && (
                  <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-900/30 dark:text-amber-300 dark:ring-amber-800">
                    <RotateCcw className="size-3" aria-hidden /> rollback
                  </span>
                )}
                {r.stale && open && (
                  <span
                    className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-900/30 dark:text-amber-300 dark:ring-amber-800"
                    title="The evidence changed since it was approved"
                  >
                    <TriangleAlert className="size-3" aria-hidden /> stale
                  </span>
                )}
              </div>
              <p className="mt-0.5 text-xs text-stone-500 dark:text-stone-400">
                #{r.number} {open ? "opened" : STATUS_LOOKS[r.status]?.label.toLowerCase()} <Time value={open ? r.createdAt : (r.closedAt ?? r.createdAt)} />
                {r.requester && <> · requested by {r.requester}</>}
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-4 text-xs text-stone-500 dark:text-stone-400">
              <span
                className={cn(
                  "hidden items-center gap-1 sm:inline-flex",
                  r.gatesPass ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400",
                )}
              >
                {r.gatesPass ? <CircleCheck className="size-4" aria-hidden /> : <CircleX className="size-4" aria-hidden />}
                {r.gatesPass ? "Gates pass" : "Gates fail"}
              </span>
              <span
                className="inline-flex min-w-12 items-center justify-end gap-1 tabular-nums"
                title={needed ? `${r.approvals} of ${needed} approvals` : `${r.approvals} approvals`}
              >
                <UserCheck className="size-4" aria-hidden />
                {r.approvals}
                {needed ? `/${needed}` : ""}
                <span className="sr-only"> approvals</span>
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
