import { RotateCcw } from "lucide-react";
import Link from "next/link";
import { TargetChip } from "../registry/badges";
import { modelHref, versionHref } from "../registry/format";
import { Time } from "../ui/time";
import { RequestStatusPill } from "./request-status";
import { targetLabel, VIA } from "./request-text";
import type { PromotionRequestPage } from "./types";

/** The request's title, state and one sentence of who asks to move what where. */
export function RequestHeader({ slug, page }: { slug: string; page: PromotionRequestPage }) {
  const { request, model, candidate, holder } = page;
  const open = request.open;
  const requester = request.requestedBy?.name ?? "Someone";
  return (
    <header className="mb-6">
      <p className="mb-1 text-xs font-medium tracking-wide text-stone-500 uppercase">
        <Link href={`/p/${slug}/promotions`} className="hover:underline">
          Promotion requests
        </Link>
      </p>
      <h1 className="text-2xl font-semibold tracking-tight break-words">
        {model.name} v{candidate.version.version} → {targetLabel(request)} <span className="font-normal text-stone-400">#{request.number}</span>
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
          to <TargetChip target={request.target} locked />
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
  );
}
