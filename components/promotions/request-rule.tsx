import Link from "next/link";
import { ROLE_NAMES } from "./request-text";
import type { PromotionRequestPage } from "./types";

/** The rule the request is judged by: its revision then and now, who may approve, and its allowances. */
export function RequestRule({ slug, page }: { slug: string; page: PromotionRequestPage }) {
  const { request, rule } = page;
  return (
    <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
      <h2 className="mb-2 flex items-center justify-between text-xs font-semibold tracking-wide text-stone-500 uppercase">
        Rule
        <Link href={`/p/${slug}/settings/promotions`} className="font-normal tracking-normal normal-case text-brand-700 hover:underline dark:text-brand-100">
          Rules →
        </Link>
      </h2>
      {rule ? (
        <dl className="space-y-2">
          <div className="flex justify-between gap-2">
            <dt className="text-stone-500">Revision</dt>
            <dd className="text-right">
              {request.ruleRevision ?? rule.revision}
              {request.ruleRevision !== null && request.ruleRevision !== rule.revision && (
                <span className="block text-xs text-stone-500">now revision {rule.revision}</span>
              )}
            </dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt className="text-stone-500">Approvals required</dt>
            <dd>{rule.requiredApprovals}</dd>
          </div>
          <div>
            <dt className="text-stone-500">Who may approve</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {rule.approverRoles.map((r) => (
                <span key={r} className="rounded-full bg-stone-100 px-2 py-0.5 text-xs dark:bg-stone-800">
                  {ROLE_NAMES[r] ?? r}
                </span>
              ))}
              {rule.approvers.map((p) => (
                <span
                  key={p.id}
                  className="rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                  title={p.email}
                >
                  {p.name}
                </span>
              ))}
            </dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt className="text-stone-500">Self-approval</dt>
            <dd>{rule.allowSelfApproval ? "allowed" : "not allowed"}</dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt className="text-stone-500">Emergency rollback</dt>
            <dd>{rule.allowEmergencyRollback ? "allowed" : "needs review"}</dd>
          </div>
        </dl>
      ) : (
        <p className="text-stone-500">The rule was removed.</p>
      )}
    </div>
  );
}
