import { MessageSquare } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CommentThread } from "@/components/collaboration/comment-thread";
import { ApprovalsSummary } from "@/components/promotions/approvals-summary";
import { CandidateCard } from "@/components/promotions/candidate-card";
import { EvidenceCard } from "@/components/promotions/evidence-card";
import { GatesList } from "@/components/promotions/gates-list";
import { Lineage } from "@/components/promotions/lineage";
import { ProductionRecord } from "@/components/promotions/production-record";
import { CancelRequestButton, Justification } from "@/components/promotions/request-actions";
import { OutcomeBanner, StaleBanner } from "@/components/promotions/request-banners";
import { RequestChecks } from "@/components/promotions/request-checks";
import { RequestHeader } from "@/components/promotions/request-header";
import { RequestRule } from "@/components/promotions/request-rule";
import { blockerOf, judgedOf } from "@/components/promotions/request-text";
import { Initials, ReviewsList } from "@/components/promotions/reviews-list";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string; number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Promotion #${(await params).number}` };
}

/** A promotion request, laid out like a pull request: the case, the evidence, the checks, the reviews. */
export default async function PromotionRequestPage({ params }: Props) {
  const { slug, number: raw } = await params;
  if (!/^[1-9]\d{0,8}$/.test(raw)) notFound();
  const number = Number(raw);
  const api = await serverCaller();
  const page = await load(() => api.promotion.get({ projectSlug: slug, number }), `/p/${slug}/promotions/${number}`);
  const { request, model, candidate, holder, gates, reviews, viewer } = page;
  const requester = request.requestedBy?.name ?? "Someone";
  const failing = blockerOf(page, "gates")?.failing ?? 0;
  const judged = judgedOf(page);

  return (
    <>
      <RequestHeader slug={slug} page={page} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem] xl:gap-8">
        <div className="min-w-0 space-y-6">
          {request.staleReason && <StaleBanner reason={request.staleReason} />}
          <OutcomeBanner page={page} />

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
              <Justification slug={slug} number={request.number} justification={request.justification} editable={viewer.isRequester && request.open} />
            </CardBody>
          </Card>

          <EvidenceCard slug={slug} page={page} />
          {page.production && <ProductionRecord slug={slug} modelName={model.name} production={page.production} />}

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

          <RequestChecks slug={slug} page={page} />

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
          <ApprovalsSummary page={page} />
          <RequestRule slug={slug} page={page} />
          <CandidateCard slug={slug} page={page} />

          <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
            <h2 className="mb-3 text-xs font-semibold tracking-wide text-stone-500 uppercase">Lineage</h2>
            <Lineage slug={slug} modelName={model.name} candidate={candidate} holder={holder} target={request.target} judged={judged.when} />
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
