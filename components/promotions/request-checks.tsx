import { CircleCheck, CircleDashed, CircleX, Lock } from "lucide-react";
import type { ReactNode } from "react";
import { targetText } from "../registry/format";
import { Card } from "../ui/card";
import { cn } from "../ui/cn";
import { ReviewForm } from "./review-form";
import { blockerOf, ROLE_NAMES } from "./request-text";
import type { PromotionRequestPage } from "./types";

function Check({ ok, pending, children }: { ok: boolean; pending?: boolean; children: ReactNode }) {
  return (
    <li className="flex items-start gap-2.5 px-5 py-2.5 text-sm">
      {ok ? (
        <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" aria-label="Done" role="img" />
      ) : pending ? (
        <CircleDashed className="mt-0.5 size-4 shrink-0 text-amber-500" aria-label="Waiting" role="img" />
      ) : (
        <CircleX className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" aria-label="Blocking" role="img" />
      )}
      <div className="min-w-0">{children}</div>
    </li>
  );
}

/** What the promotion waits for (approvals, gates, requests for changes), then the review form or why the viewer cannot review. */
export function RequestChecks({ slug, page }: { slug: string; page: PromotionRequestPage }) {
  const { request, rule, gates, approvals, viewer } = page;
  const open = request.open;
  const required = rule?.requiredApprovals ?? 0;
  const missing = blockerOf(page, "approvals")?.missing ?? 0;
  const failing = blockerOf(page, "gates")?.failing ?? 0;
  const changes = blockerOf(page, "changes_requested");
  return (
    <Card className={cn(open && "ring-1 ring-stone-200 dark:ring-stone-800")}>
      <ul className="divide-y divide-stone-100 dark:divide-stone-800">
        {rule ? (
          <Check ok={!missing} pending={open}>
            <p className="font-medium">
              {approvals} of {required} approval{required === 1 ? "" : "s"}
            </p>
            <p className="text-xs text-stone-500">
              {!missing
                ? "Enough approvals stand."
                : `${missing} more needed from ${rule.approverRoles.map((r) => ROLE_NAMES[r] ?? r).join(" or ") || "the named people"}${rule.approverRoles.length && rule.approvers.length ? " or the named people" : ""}.`}
            </p>
          </Check>
        ) : (
          <Check ok={false}>
            <p className="font-medium">{targetText(request.target)} is no longer protected</p>
            <p className="text-xs text-stone-500">Cancel this request and change the target directly.</p>
          </Check>
        )}
        <Check ok={!failing}>
          <p className="font-medium">{gates.length ? (failing ? `${failing} gate${failing === 1 ? "" : "s"} failing` : "All gates pass") : "No gates"}</p>
          <p className="text-xs text-stone-500">
            {failing ? "The promotion cannot apply until every gate passes, whatever the approvals." : "Automatic checks on the candidate are satisfied."}
          </p>
        </Check>
        {changes && (
          <Check ok={false}>
            <p className="font-medium">Changes requested by {changes.by.join(", ")}</p>
            <p className="text-xs text-stone-500">The request waits until they approve.</p>
          </Check>
        )}
      </ul>
      <div className="border-t border-stone-200 px-5 py-4 dark:border-stone-800">
        {open && viewer.canReview ? (
          <ReviewForm slug={slug} number={request.number} />
        ) : open ? (
          <p className="flex items-start gap-2 text-sm text-stone-600 dark:text-stone-400">
            <Lock className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              <span className="font-medium text-stone-800 dark:text-stone-200">You cannot review this request.</span> {viewer.refusal}.
            </span>
          </p>
        ) : (
          <p className="text-sm text-stone-500">This request is closed; reviews are over.</p>
        )}
      </div>
    </Card>
  );
}
