import { CircleX, GitMerge, TriangleAlert } from "lucide-react";
import { Time } from "../ui/time";
import { targetLabel } from "./request-text";
import type { PromotionRequestPage } from "./types";

/** Why an open request went stale: its approvals were given on other numbers. */
export function StaleBanner({ reason }: { reason: NonNullable<PromotionRequestPage["request"]["staleReason"]> }) {
  return (
    <div
      role="status"
      className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <TriangleAlert className="mt-0.5 size-5 shrink-0" aria-hidden />
      <div>
        <p className="font-semibold">New evidence since the approvals{reason.reason ? `: ${reason.reason}` : ""}.</p>
        <p className="mt-0.5">
          {reason.dismissedApprovals
            ? `${reason.dismissedApprovals} approval${reason.dismissedApprovals === 1 ? " was" : "s were"} dismissed; reviewers need to look again at the numbers below.`
            : "Approvals given before the change no longer count; review the numbers below again."}
        </p>
      </div>
    </div>
  );
}

/** How a closed request ended: the target moved, or it kept its version. Nothing while the request is open. */
export function OutcomeBanner({ page }: { page: PromotionRequestPage }) {
  const { request, candidate } = page;
  if (request.status === "applied")
    return (
      <div className="flex items-center gap-3 rounded-lg border border-violet-200 bg-violet-50 px-4 py-3 text-sm text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200">
        <GitMerge className="size-5 shrink-0" aria-hidden />
        <p>
          {request.rollback ? "Rolled back" : "Applied"} <Time value={request.closedAt} />: version {candidate.version.version}{" "}
          {request.rollback ? "holds" : "took"} {targetLabel(request)}.
        </p>
      </div>
    );
  if (request.status === "rejected" || request.status === "cancelled")
    return (
      <div className="flex items-center gap-3 rounded-lg border border-stone-200 bg-stone-100 px-4 py-3 text-sm text-stone-700 dark:border-stone-800 dark:bg-stone-900 dark:text-stone-300">
        <CircleX className="size-5 shrink-0" aria-hidden />
        <p>
          {request.status === "rejected" ? "Rejected" : "Cancelled"} <Time value={request.closedAt} />. {targetLabel(request)} kept its version.
        </p>
      </div>
    );
  return null;
}
