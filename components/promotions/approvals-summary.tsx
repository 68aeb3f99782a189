import { CircleCheck, CircleX, TriangleAlert } from "lucide-react";
import { cn } from "../ui/cn";
import { blockerOf } from "./request-text";
import { Initials } from "./reviews-list";
import type { PromotionRequestPage } from "./types";

/** The approvals that stand against those required, and each reviewer's standing decision. */
export function ApprovalsSummary({ page }: { page: PromotionRequestPage }) {
  const { rule, approvals, standing } = page;
  const required = rule?.requiredApprovals ?? 0;
  const missing = blockerOf(page, "approvals")?.missing ?? 0;
  return (
    <div>
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-stone-500 uppercase">Approvals</h2>
      {rule ? (
        <>
          <div className="flex items-baseline justify-between">
            <span className="text-2xl font-semibold tabular-nums">
              {approvals}
              <span className="text-base font-normal text-stone-400">/{required}</span>
            </span>
            <span className="text-xs text-stone-500">{missing ? `${missing} to go` : "enough"}</span>
          </div>
          <div
            className="mt-2 h-2 overflow-hidden rounded-full bg-stone-200 dark:bg-stone-800"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={required}
            aria-valuenow={approvals}
            aria-label="Approvals"
          >
            <div
              className={cn("h-full rounded-full", missing ? "bg-brand-500" : "bg-emerald-500")}
              style={{ width: `${Math.min(100, (approvals / Math.max(1, required)) * 100)}%` }}
            />
          </div>
        </>
      ) : (
        <p className="text-stone-500">No rule protects this target now.</p>
      )}
      {standing.length > 0 && (
        <ul className="mt-3 space-y-1.5">
          {standing.map((d) => (
            <li key={d.reviewerId} className="flex items-center gap-2">
              <Initials name={d.reviewer} className="size-6 text-[10px]" />
              <span className="min-w-0 flex-1 truncate">{d.reviewer}</span>
              {d.decision === "approve" ? (
                <CircleCheck className="size-4 text-emerald-600 dark:text-emerald-400" aria-label="approved" role="img" />
              ) : d.decision === "reject" ? (
                <CircleX className="size-4 text-red-600 dark:text-red-400" aria-label="rejected" role="img" />
              ) : (
                <TriangleAlert className="size-4 text-amber-500" aria-label="requested changes" role="img" />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
