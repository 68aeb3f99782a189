import { CircleCheck, CircleX, FileDiff, type LucideIcon } from "lucide-react";
import { CommentMarkdown } from "../collaboration/markdown";
import { cn } from "../ui/cn";
import { Time } from "../ui/time";
import type { Review } from "./types";

const DECISIONS: Record<string, { verb: string; icon: LucideIcon; tone: string; ring: string }> = {
  approve: { verb: "approved", icon: CircleCheck, tone: "text-emerald-600 dark:text-emerald-400", ring: "border-emerald-200 dark:border-emerald-900" },
  request_changes: { verb: "requested changes", icon: FileDiff, tone: "text-amber-600 dark:text-amber-400", ring: "border-amber-200 dark:border-amber-900" },
  reject: { verb: "rejected", icon: CircleX, tone: "text-red-600 dark:text-red-400", ring: "border-red-200 dark:border-red-900" },
};

export function Initials({ name, className }: { name: string; className?: string }) {
  const initials = name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join("");
  return (
    <span
      aria-hidden
      className={cn(
        "inline-flex size-8 shrink-0 items-center justify-center rounded-full bg-stone-200 text-xs font-semibold text-stone-600 dark:bg-stone-800 dark:text-stone-300",
        className,
      )}
    >
      {initials || "·"}
    </span>
  );
}

/** Every review given, in order; approvals dismissed by new evidence are struck through. */
export function ReviewsList({ reviews }: { reviews: Review[] }) {
  if (!reviews.length) return <p className="px-5 py-4 text-sm text-stone-500">No reviews yet.</p>;
  return (
    <ol className="space-y-4 px-5 py-4" aria-label="Reviews">
      {reviews.map((r) => {
        const look = DECISIONS[r.decision] ?? DECISIONS.approve!;
        const Icon = look.icon;
        return (
          <li key={r.id} className={cn("flex gap-3", r.dismissed && "opacity-70")}>
            <Initials name={r.reviewer} />
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-x-1.5 text-sm">
                <Icon className={cn("size-4", look.tone)} aria-hidden />
                <span className={cn(r.dismissed && "line-through decoration-stone-400")}>
                  <span className="font-medium">{r.reviewer}</span> {look.verb}
                </span>
                <span className="text-xs text-stone-500">
                  <Time value={r.createdAt} />
                </span>
                {r.dismissed && (
                  <span className="rounded-full bg-stone-100 px-2 py-0.5 text-[11px] font-medium text-stone-600 dark:bg-stone-800 dark:text-stone-400">
                    dismissed: the evidence changed after this review
                  </span>
                )}
              </p>
              {r.comment && (
                <div
                  className={cn(
                    "mt-2 rounded-md border bg-white px-3 py-2 dark:bg-stone-900",
                    look.ring,
                    r.dismissed && "border-stone-200 dark:border-stone-800",
                  )}
                >
                  <CommentMarkdown source={r.comment} />
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
