import { CircleCheck, CircleDashed, CircleX, GitMerge, Lock, MessageSquare, RotateCcw, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { CommentThread } from "@/components/collaboration/comment-thread";
import { DatasetsComparison } from "@/components/promotions/datasets-comparison";
import type { Judged } from "@/components/promotions/gate-text";
import { GatesList } from "@/components/promotions/gates-list";
import { Lineage } from "@/components/promotions/lineage";
import { MetricComparison } from "@/components/promotions/metric-comparison";
import { ParamComparison } from "@/components/promotions/param-comparison";
import { CancelRequestButton, Justification } from "@/components/promotions/request-actions";
import { RequestStatusPill } from "@/components/promotions/request-status";
import { ReviewForm } from "@/components/promotions/review-form";
import { Initials, ReviewsList } from "@/components/promotions/reviews-list";
import type { VersionEvidence } from "@/components/promotions/types";
import { TargetChip } from "@/components/registry/badges";
import { modelHref, runHref, targetText, versionHref } from "@/components/registry/format";
import { RunStatus } from "@/components/tracking/run-status";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string; number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Promotion #${(await params).number}` };
}

const VIA: Record<string, string> = { ui: "in Cairn", api: "through the API", mlflow: "through the MLflow API", cli: "from the CLI" };
const ROLES: Record<string, string> = { owner: "owners", maintainer: "maintainers", contributor: "contributors", viewer: "viewers" };

function Section({ title, description, children, actions }: { title: string; description?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="border-t border-stone-200 first:border-t-0 dark:border-stone-800" aria-label={title}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4 pb-1">
        <h3 className="text-sm font-semibold">{title}</h3>
        {description && <p className="text-xs text-stone-500 dark:text-stone-400">{description}</p>}
        {actions}
      </div>
      {children}
    </section>
  );
}

function VersionCard({ slug, modelName, evidence, role }: { slug: string; modelName: string; evidence: VersionEvidence; role: string }) {
  return (
    <div className="min-w-0 rounded-md border border-stone-200 p-3 dark:border-stone-800">
      <p className="text-[11px] font-medium tracking-wide text-stone-500 uppercase">{role}</p>
      <Link href={versionHref(slug, modelName, evidence.version.version)} className="mt-0.5 block font-semibold hover:underline">
        Version {evidence.version.version}
      </Link>
      {evidence.run ? (
        <p className="mt-1 flex min-w-0 flex-wrap items-center gap-1.5 text-xs text-stone-500 dark:text-stone-400">
          <Link href={runHref(slug, evidence.run.runId)} className="truncate hover:underline">
            {evidence.run.name}
          </Link>
          <RunStatus status={evidence.run.status} />
          <span>
            trained <Time value={new Date(evidence.run.startTime)} />
          </span>
        </p>
      ) : (
        <p className="mt-1 text-xs text-stone-400">No source run</p>
      )}
    </div>
  );
}

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

/** A promotion request, laid out like a pull request: the case, the evidence, the checks, the reviews. */
export default async function PromotionRequestPage({ params }: Props) {
  const { slug, number: raw } = await params;
  if (!/^[1-9]\d{0,8}$/.test(raw)) notFound();
  const number = Number(raw);
  const api = await serverCaller();
  const page = await load(() => api.promotion.get({ projectSlug: slug, number }), `/p/${slug}/promotions/${number}`);
  const { request, model, candidate, holder, comparison, gates, rule, reviews, approvals, viewer } = page;
  const open = request.status === "open" || request.status === "changes_requested";

  // Why it went stale: the latest "stale" event of this request on the model's timeline.
  let staleReason: { reason?: string; dismissedApprovals?: number } | null = null;
  if (request.stale && open) {
    const timeline = await load(() => api.registry.timeline({ projectSlug: slug, name: model.name, limit: 200 }));
    const event = timeline.events.find((e) => e.kind === "promotion.stale" && (e.details as { request?: number } | null)?.request === number);
    staleReason = (event?.details as typeof staleReason) ?? {};
  }

  const standing = new Map<string, (typeof reviews)[number]>();
  for (const r of [...reviews].reverse()) if (!r.dismissed && !standing.has(r.reviewerId)) standing.set(r.reviewerId, r);
  const blockers = [...standing.values()].filter((r) => r.decision === "request_changes");
  const required = rule?.requiredApprovals ?? 0;
  const failing = gates.filter((g) => !g.passed).length;
  const gateList = gates.map((g) => g.gate);
  const target = request.target;
  const targetLabel = `${targetText(target)}${target.kind === "tag" && request.targetValue !== null ? `=${request.targetValue}` : ""}`;
  const requester = request.requestedBy?.name ?? "Someone";
  // A closed request shows the holder it was judged against, not today's: say "held", not "holds".
  const judged: Judged = open
    ? { when: "now" }
    : { when: request.status === "applied" ? "applied" : "closed", target: targetText(target), holderVersion: holder?.version.version ?? null };
  const before = request.status === "applied" ? "before this promotion" : "when the request closed";

  return (
    <>
      <header className="mb-6">
        <p className="mb-1 text-xs font-medium tracking-wide text-stone-500 uppercase">
          <Link href={`/p/${slug}/promotions`} className="hover:underline">
            Promotion requests
          </Link>
        </p>
        <h1 className="text-2xl font-semibold tracking-tight break-words">
          {model.name} v{candidate.version.version} → {targetLabel} <span className="font-normal text-stone-400">#{request.number}</span>
        </h1>
        <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-2">
          <RequestStatusPill status={request.status} />
          {request.rollback && (
            <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-900/30 dark:text-amber-300 dark:ring-amber-800">
              <RotateCcw className="size-3.5" aria-hidden /> Rollback
            </span>
          )}
          <p className="text-sm text-stone-600 dark:text-stone-400">
            <strong className="font-semibold text-stone-900 dark:text-stone-100">{requester}</strong> {open ? "wants to move" : "asked to move"}{" "}
            <Link href={versionHref(slug, model.name, candidate.version.version)} className="font-medium text-stone-900 hover:underline dark:text-stone-100">
              version {candidate.version.version}
            </Link>{" "}
            of{" "}
            <Link href={modelHref(slug, model.name)} className="font-medium text-stone-900 hover:underline dark:text-stone-100">
              {model.name}
            </Link>{" "}
            to <TargetChip target={target} locked />
            {holder && (
              <>
                {" "}
                ({open ? "held" : "then held"} by version {holder.version.version})
              </>
            )}{" "}
            · opened <Time value={request.createdAt} /> {VIA[request.requestedVia] ?? ""}
          </p>
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem] xl:gap-8">
        <div className="min-w-0 space-y-6">
          {staleReason && (
            <div
              role="status"
              className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
            >
              <TriangleAlert className="mt-0.5 size-5 shrink-0" aria-hidden />
              <div>
                <p className="font-semibold">New evidence since the approvals{staleReason.reason ? `: ${staleReason.reason}` : ""}.</p>
                <p className="mt-0.5">
                  {staleReason.dismissedApprovals
                    ? `${staleReason.dismissedApprovals} approval${staleReason.dismissedApprovals === 1 ? " was" : "s were"} dismissed; reviewers need to look again at the numbers below.`
                    : "Approvals given before the change no longer count; review the numbers below again."}
                </p>
              </div>
            </div>
          )}
          {request.status === "applied" && (
            <div className="flex items-center gap-3 rounded-lg border border-violet-200 bg-violet-50 px-4 py-3 text-sm text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200">
              <GitMerge className="size-5 shrink-0" aria-hidden />
              <p>
                {request.rollback ? "Rolled back" : "Applied"} <Time value={request.closedAt} />: version {candidate.version.version}{" "}
                {request.rollback ? "holds" : "took"} {targetLabel}.
              </p>
            </div>
          )}
          {(request.status === "rejected" || request.status === "cancelled") && (
            <div className="flex items-center gap-3 rounded-lg border border-stone-200 bg-stone-100 px-4 py-3 text-sm text-stone-700 dark:border-stone-800 dark:bg-stone-900 dark:text-stone-300">
              <CircleX className="size-5 shrink-0" aria-hidden />
              <p>
                {request.status === "rejected" ? "Rejected" : "Cancelled"} <Time value={request.closedAt} />. {targetLabel} kept its version.
              </p>
            </div>
          )}

          <Card>
            <div className="flex items-center gap-2 rounded-t-lg border-b border-stone-200 bg-stone-50 px-5 py-2.5 text-sm dark:border-stone-800 dark:bg-stone-800/40">
              <Initials name={requester} className="size-6 text-[10px]" />
              <span>
                <strong className="font-semibold">{requester}</strong> <span className="text-stone-500">opened this request</span>{" "}
                <span className="text-stone-500">
                  <Time value={request.createdAt} />
                </span>
              </span>
            </div>
            <CardBody>
              <Justification slug={slug} number={request.number} justification={request.justification} editable={viewer.isRequester && open} />
            </CardBody>
          </Card>

          <Card>
            <CardHeader
              title={holder ? (open ? "Candidate against the current holder" : "Candidate against the holder of the time") : "Evidence"}
              description={
                holder
                  ? `Version ${candidate.version.version} against version ${holder.version.version}, which ${open ? `holds ${targetText(target)} now` : `held ${targetText(target)} ${before}`}`
                  : open
                    ? `No other version holds ${targetText(target)}: the candidate's own numbers`
                    : `No version held ${targetText(target)} ${before}: the candidate's own numbers`
              }
            />
            <div className="grid gap-3 px-5 pt-4 sm:grid-cols-2">
              <VersionCard slug={slug} modelName={model.name} evidence={candidate} role="Candidate" />
              {holder ? (
                <VersionCard slug={slug} modelName={model.name} evidence={holder} role={`${open ? "Holds" : "Held"} ${targetText(target)}`} />
              ) : (
                <div className="flex items-center rounded-md border border-dashed border-stone-300 p-3 text-sm text-stone-500 dark:border-stone-700">
                  {open ? `No version holds ${targetText(target)} yet.` : `No version held ${targetText(target)} ${before}.`}
                </div>
              )}
            </div>
            <Section title="Metrics" description={holder ? "Δ = candidate − holder; coloured where a gate says which way is better" : undefined}>
              <MetricComparison comparison={comparison.metrics} gates={gateList} hasHolder={Boolean(holder)} />
            </Section>
            <Section title="Parameters">
              <ParamComparison params={comparison.params} hasHolder={Boolean(holder)} />
            </Section>
            <Section title="Datasets">
              <DatasetsComparison candidate={candidate.datasets} holder={holder ? holder.datasets : null} />
            </Section>
          </Card>

          <Card>
            <CardHeader
              title="Gates"
              description={gates.length ? (failing ? `${failing} of ${gates.length} failing` : `All ${gates.length} passing`) : undefined}
            />
            <GatesList gates={gates} judged={judged} />
          </Card>

          <Card>
            <CardHeader title="Reviews" description={reviews.length ? `${reviews.length} given` : undefined} />
            <ReviewsList reviews={reviews} />
          </Card>

          <Card className={cn(open && "ring-1 ring-stone-200 dark:ring-stone-800")}>
            <ul className="divide-y divide-stone-100 dark:divide-stone-800">
              {rule ? (
                <Check ok={approvals >= required} pending={open}>
                  <p className="font-medium">
                    {approvals} of {required} approval{required === 1 ? "" : "s"}
                  </p>
                  <p className="text-xs text-stone-500">
                    {approvals >= required
                      ? "Enough approvals stand."
                      : `${required - approvals} more needed from ${rule.approverRoles.map((r) => ROLES[r] ?? r).join(" or ") || "the named people"}${rule.approverRoles.length && rule.approvers.length ? " or the named people" : ""}.`}
                  </p>
                </Check>
              ) : (
                <Check ok={false}>
                  <p className="font-medium">{targetText(target)} is no longer protected</p>
                  <p className="text-xs text-stone-500">Cancel this request and change the target directly.</p>
                </Check>
              )}
              <Check ok={failing === 0}>
                <p className="font-medium">{gates.length ? (failing ? `${failing} gate${failing === 1 ? "" : "s"} failing` : "All gates pass") : "No gates"}</p>
                <p className="text-xs text-stone-500">
                  {failing ? "The promotion cannot apply until every gate passes, whatever the approvals." : "Automatic checks on the candidate are satisfied."}
                </p>
              </Check>
              {blockers.length > 0 && (
                <Check ok={false}>
                  <p className="font-medium">Changes requested by {blockers.map((b) => b.reviewer).join(", ")}</p>
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

          <section aria-labelledby="discussion" className="space-y-3">
            <h2 id="discussion" className="flex items-center gap-2 text-base font-semibold">
              <MessageSquare className="size-4" aria-hidden /> Discussion
            </h2>
            <Card>
              <CardBody>
                <CommentThread slug={slug} subject={{ type: "promotion_request", id: String(request.number) }} />
              </CardBody>
            </Card>
          </section>
        </div>

        <aside className="min-w-0 space-y-6 text-sm" aria-label="Request details">
          <div>
            <h2 className="mb-2 text-xs font-semibold tracking-wide text-stone-500 uppercase">Approvals</h2>
            {rule ? (
              <>
                <div className="flex items-baseline justify-between">
                  <span className="text-2xl font-semibold tabular-nums">
                    {approvals}
                    <span className="text-base font-normal text-stone-400">/{required}</span>
                  </span>
                  <span className="text-xs text-stone-500">{approvals >= required ? "enough" : `${required - approvals} to go`}</span>
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
                    className={cn("h-full rounded-full", approvals >= required ? "bg-emerald-500" : "bg-brand-500")}
                    style={{ width: `${Math.min(100, (approvals / Math.max(1, required)) * 100)}%` }}
                  />
                </div>
              </>
            ) : (
              <p className="text-stone-500">No rule protects this target now.</p>
            )}
            {standing.size > 0 && (
              <ul className="mt-3 space-y-1.5">
                {[...standing.values()].map((r) => (
                  <li key={r.reviewerId} className="flex items-center gap-2">
                    <Initials name={r.reviewer} className="size-6 text-[10px]" />
                    <span className="min-w-0 flex-1 truncate">{r.reviewer}</span>
                    {r.decision === "approve" ? (
                      <CircleCheck className="size-4 text-emerald-600 dark:text-emerald-400" aria-label="approved" role="img" />
                    ) : r.decision === "reject" ? (
                      <CircleX className="size-4 text-red-600 dark:text-red-400" aria-label="rejected" role="img" />
                    ) : (
                      <TriangleAlert className="size-4 text-amber-500" aria-label="requested changes" role="img" />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
            <h2 className="mb-2 flex items-center justify-between text-xs font-semibold tracking-wide text-stone-500 uppercase">
              Rule
              <Link
                href={`/p/${slug}/settings/promotions`}
                className="font-normal tracking-normal normal-case text-brand-700 hover:underline dark:text-brand-100"
              >
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
                        {ROLES[r] ?? r}
                      </span>
                    ))}
                    {rule.approvers.map((p) => (
                      <span
                        key={p!.id}
                        className="rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                        title={p!.email}
                      >
                        {p!.name}
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

          <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
            <h2 className="mb-3 text-xs font-semibold tracking-wide text-stone-500 uppercase">Lineage</h2>
            <Lineage slug={slug} modelName={model.name} candidate={candidate} holder={holder} target={target} judged={judged.when} />
          </div>

          {viewer.canCancel && (
            <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
              <CancelRequestButton slug={slug} number={request.number} />
            </div>
          )}
        </aside>
      </div>
    </>
  );
}
