"use client";

import { useQueryClient } from "@tanstack/react-query";
import {
  Ban,
  CircleCheck,
  CircleDot,
  CircleX,
  FileDiff,
  GitMerge,
  GitPullRequestArrow,
  History,
  Layers,
  Package,
  PackagePlus,
  Pencil,
  Tag,
  Trash2,
  TriangleAlert,
  Undo2,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { CommentMarkdown } from "../collaboration/markdown";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Time } from "../ui/time";
import { guessKind, requestHref, targetText, versionHref } from "./format";
import type { TimelineEvent, TimelinePage } from "./types";

type Details = {
  request?: number;
  targetKind?: string;
  justification?: string;
  comment?: string;
  approvers?: string[];
  reason?: string;
  dismissedApprovals?: number;
  fromStage?: string;
  rollback?: boolean;
  framework?: string | null;
  from?: string;
  to?: string;
  releasedAliases?: string[];
};

const tones = {
  neutral: "bg-stone-100 text-stone-600 ring-stone-200 dark:bg-stone-800 dark:text-stone-300 dark:ring-stone-700",
  brand: "bg-brand-50 text-brand-700 ring-brand-100 dark:bg-brand-700/25 dark:text-brand-100 dark:ring-brand-700/50",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-900/40 dark:text-emerald-300 dark:ring-emerald-800",
  amber: "bg-amber-50 text-amber-700 ring-amber-200 dark:bg-amber-900/40 dark:text-amber-300 dark:ring-amber-800",
  red: "bg-red-50 text-red-700 ring-red-200 dark:bg-red-900/40 dark:text-red-300 dark:ring-red-800",
  violet: "bg-violet-50 text-violet-700 ring-violet-200 dark:bg-violet-900/40 dark:text-violet-300 dark:ring-violet-800",
};

type Look = { icon: LucideIcon; tone: keyof typeof tones };

const looks: Record<string, Look> = {
  "model.created": { icon: Package, tone: "brand" },
  "model.renamed": { icon: Pencil, tone: "neutral" },
  "version.registered": { icon: PackagePlus, tone: "brand" },
  "version.deleted": { icon: Trash2, tone: "red" },
  "stage.changed": { icon: Layers, tone: "neutral" },
  "alias.set": { icon: Tag, tone: "neutral" },
  "alias.removed": { icon: Tag, tone: "neutral" },
  "promotion.requested": { icon: GitPullRequestArrow, tone: "green" },
  "promotion.approved": { icon: CircleCheck, tone: "green" },
  "promotion.changes_requested": { icon: FileDiff, tone: "amber" },
  "promotion.rejected": { icon: CircleX, tone: "red" },
  "promotion.applied": { icon: GitMerge, tone: "violet" },
  "promotion.rolled_back": { icon: Undo2, tone: "amber" },
  "promotion.stale": { icon: TriangleAlert, tone: "amber" },
  "promotion.cancelled": { icon: Ban, tone: "neutral" },
};

/** Events shown at first, and added by each "Show older events". */
const PAGE = 15;

/** Which events the filter shows. */
const FILTERS = {
  all: { label: "All", kinds: null },
  promotions: { label: "Reviews", kinds: ["promotion."] },
  moves: { label: "Stages & aliases", kinds: ["stage.", "alias.", "promotion.applied", "promotion.rolled_back"] },
  versions: { label: "Versions", kinds: ["version.", "model."] },
} as const;

/**
 * The model's history, newest first: every registration, stage and alias move, review, promotion
 * and rollback, with links to the versions and requests involved. Older events load on demand.
 */
export function ModelTimeline(props: { slug: string; modelName: string; initial: TimelinePage }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<TimelineEvent[]>(props.initial.events);
  const [next, setNext] = useState<number | null>(props.initial.nextBefore);
  const [loading, setLoading] = useState(false);
  const [filter, setFilter] = useState<keyof typeof FILTERS>("all");
  const [visible, setVisible] = useState(PAGE);
  const kinds = FILTERS[filter].kinds;
  const matching = kinds ? events.filter((e) => kinds.some((k) => e.kind === k || e.kind.startsWith(k))) : events;
  const shown = matching.slice(0, visible);
  const more = matching.length > visible || next !== null;

  async function loadMore() {
    setVisible((v) => v + PAGE);
    if (matching.length > visible || next === null) return;
    setLoading(true);
    try {
      const page = await queryClient.fetchQuery(trpc.registry.timeline.queryOptions({ projectSlug: props.slug, name: props.modelName, before: next }));
      setEvents((current) => [...current, ...page.events]);
      setNext(page.nextBefore);
    } catch (error) {
      toast.error(errorDetails(error).message);
    } finally {
      setLoading(false);
    }
  }

  return (
    <div>
      <div role="group" aria-label="Show events" className="flex flex-wrap gap-1 border-b border-stone-200 px-5 py-2 dark:border-stone-800">
        {Object.entries(FILTERS).map(([key, f]) => (
          <button
            key={key}
            type="button"
            aria-pressed={filter === key}
            onClick={() => setFilter(key as keyof typeof FILTERS)}
            className={cn(
              "rounded-md px-2.5 py-1 text-xs font-medium",
              filter === key
                ? "bg-stone-900 text-white dark:bg-stone-100 dark:text-stone-900"
                : "text-stone-600 hover:bg-stone-100 dark:text-stone-400 dark:hover:bg-stone-800",
            )}
          >
            {f.label}
          </button>
        ))}
      </div>
      {shown.length ? (
        <ol className="relative px-5 py-4">
          {shown.map((event, i) => (
            <TimelineItem key={event.id} slug={props.slug} modelName={props.modelName} event={event} last={i === shown.length - 1 && !more} />
          ))}
        </ol>
      ) : (
        <p className="px-5 py-6 text-sm text-stone-500">{events.length ? "No events of this kind loaded." : "Nothing has happened to this model yet."}</p>
      )}
      {more && (
        <div className="border-t border-stone-200 px-5 py-3 dark:border-stone-800">
          <Button variant="secondary" size="sm" onClick={loadMore} pending={loading}>
            <History className="size-3.5" aria-hidden /> Show older events
          </Button>
        </div>
      )}
    </div>
  );
}

function TimelineItem({ slug, modelName, event, last }: { slug: string; modelName: string; event: TimelineEvent; last: boolean }) {
  const look = looks[event.kind] ?? { icon: CircleDot, tone: "neutral" as const };
  const Icon = look.icon;
  const d = (event.details ?? {}) as Details;
  const version = (n: number | null) =>
    n === null ? null : (
      <Link href={versionHref(slug, modelName, n)} className="font-medium text-stone-900 hover:underline dark:text-stone-100">
        version {n}
      </Link>
    );
  const target = event.target ? (
    <strong className="font-semibold text-stone-900 dark:text-stone-100">
      {targetText({ kind: guessKind(event.target, d.targetKind), name: event.target })}
    </strong>
  ) : null;
  const request = d.request ? (
    <Link href={requestHref(slug, d.request)} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
      #{d.request}
    </Link>
  ) : null;

  let sentence: ReactNode;
  let quote: string | undefined;
  switch (event.kind) {
    case "model.created":
      sentence = <>created the model</>;
      break;
    case "model.renamed":
      sentence = (
        <>
          renamed the model from <code className="font-mono text-xs">{d.from}</code> to <code className="font-mono text-xs">{d.to}</code>
        </>
      );
      break;
    case "version.registered":
      sentence = (
        <>
          registered {version(event.toVersion)}
          {d.framework && <span className="text-stone-500"> ({d.framework})</span>}
        </>
      );
      break;
    case "version.deleted":
      sentence = (
        <>
          deleted version {event.fromVersion}
          {d.releasedAliases?.length ? <> and released {d.releasedAliases.map((a) => `@${a}`).join(", ")}</> : null}
        </>
      );
      break;
    case "stage.changed":
      sentence =
        d.reason === "archived by a newer version" ? (
          <>
            archived {version(event.toVersion)} (replaced in {d.fromStage})
          </>
        ) : (
          <>
            {d.rollback ? "rolled back" : "moved"} {version(event.toVersion)} to {target}
            {event.fromVersion !== null && <> (was version {event.fromVersion})</>}
            {request && <> through {request}</>}
          </>
        );
      break;
    case "alias.set":
      sentence = (
        <>
          {d.rollback ? "rolled back" : "pointed"} {target} {d.rollback ? "to" : "at"} {version(event.toVersion)}
          {event.fromVersion !== null && <> (was version {event.fromVersion})</>}
          {request && <> through {request}</>}
        </>
      );
      break;
    case "alias.removed":
      sentence = (
        <>
          removed {target} from version {event.fromVersion}
        </>
      );
      break;
    case "promotion.requested":
      sentence = (
        <>
          requested {version(event.toVersion)} → {target} in {request}
        </>
      );
      quote = d.justification;
      break;
    case "promotion.approved":
      sentence = (
        <>
          approved {request} ({version(event.toVersion)} → {target})
        </>
      );
      quote = d.comment;
      break;
    case "promotion.changes_requested":
      sentence = <>requested changes on {request}</>;
      quote = d.comment;
      break;
    case "promotion.rejected":
      sentence = (
        <>
          rejected {request} ({version(event.toVersion)} → {target})
        </>
      );
      quote = d.comment;
      break;
    case "promotion.applied":
      sentence = (
        <>
          promoted {version(event.toVersion)} to {target}
          {event.fromVersion !== null && <>, replacing version {event.fromVersion},</>} through {request}
          {d.approvers?.length ? <> · approved by {d.approvers.join(", ")}</> : null}
        </>
      );
      quote = d.justification;
      break;
    case "promotion.rolled_back":
      sentence = (
        <>
          rolled back {target} {event.fromVersion !== null && <>from version {event.fromVersion} </>}to {version(event.toVersion)}
          {request && <> through {request}</>}
          {d.approvers?.length ? <> · approved by {d.approvers.join(", ")}</> : null}
        </>
      );
      quote = d.justification;
      break;
    case "promotion.stale":
      sentence = (
        <>
          marked {request} stale: {d.reason}
          {d.dismissedApprovals ? (
            <>
              {" "}
              ({d.dismissedApprovals} approval{d.dismissedApprovals === 1 ? "" : "s"} dismissed)
            </>
          ) : null}
        </>
      );
      break;
    case "promotion.cancelled":
      sentence = <>cancelled {request}</>;
      break;
    default:
      sentence = <>{event.kind.replace(/[._]/g, " ")}</>;
  }

  return (
    <li className="relative flex gap-3 pb-5 last:pb-0">
      {!last && <span className="absolute top-7 bottom-0 left-[13px] w-px bg-stone-200 dark:bg-stone-800" aria-hidden />}
      <span className={cn("relative z-10 flex size-7 shrink-0 items-center justify-center rounded-full ring-1", tones[look.tone])}>
        <Icon className="size-3.5" aria-hidden />
      </span>
      <div className="min-w-0 flex-1 pt-1 text-sm text-stone-600 dark:text-stone-400">
        <p>
          <span className="font-medium text-stone-900 dark:text-stone-100">{event.actor || "system"}</span> {sentence}{" "}
          <span className="text-xs whitespace-nowrap text-stone-400">
            · <Time value={event.at} />
          </span>
        </p>
        {quote && (
          <blockquote className="mt-1.5 max-h-24 overflow-hidden border-l-2 border-stone-200 pl-3 text-stone-600 [mask-image:linear-gradient(to_bottom,black_4.5rem,transparent_6rem)] dark:border-stone-700 dark:text-stone-400">
            <CommentMarkdown source={quote} className="text-[13px] [&>*+*]:mt-1" />
          </blockquote>
        )}
      </div>
    </li>
  );
}
