import Link from "next/link";
import { CompletenessBadge } from "../model-cards/completeness-badge";
import { versionHref } from "../registry/format";
import type { PromotionRequestPage } from "./types";

/** The candidate's model card in the request's margin: how complete it is, what it lacks, and where to read it. */
export function CandidateCard({ slug, page }: { slug: string; page: PromotionRequestPage }) {
  const { card, candidate, model } = page;
  const total = card.filled.length + card.missing.length;
  return (
    <div className="border-t border-stone-200 pt-5 dark:border-stone-800">
      <h2 className="mb-3 flex items-center justify-between text-xs font-semibold tracking-wide text-stone-500 uppercase">
        Model card <CompletenessBadge filled={card.filled.length} total={total} />
      </h2>
      {card.missing.length > 0 && (
        <p className="mb-2 text-stone-600 dark:text-stone-400">
          {card.missing.length} section{card.missing.length === 1 ? "" : "s"} not written yet.
        </p>
      )}
      <Link href={`${versionHref(slug, model.name, candidate.version.version)}#card`} className="text-brand-700 hover:underline dark:text-brand-100">
        Read version {candidate.version.version}&apos;s card →
      </Link>
    </div>
  );
}
