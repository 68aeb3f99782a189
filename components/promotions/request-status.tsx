import { Ban, FileDiff, GitMerge, GitPullRequestArrow, GitPullRequestClosed, type LucideIcon } from "lucide-react";
import { cn } from "../ui/cn";

type Look = { label: string; icon: LucideIcon; className: string };

export const STATUS_LOOKS: Record<string, Look> = {
  open: { label: "Open", icon: GitPullRequestArrow, className: "bg-emerald-600 text-white dark:bg-emerald-600" },
  changes_requested: { label: "Changes requested", icon: FileDiff, className: "bg-amber-500 text-white dark:bg-amber-600" },
  applied: { label: "Applied", icon: GitMerge, className: "bg-violet-600 text-white dark:bg-violet-600" },
  rejected: { label: "Rejected", icon: GitPullRequestClosed, className: "bg-red-600 text-white dark:bg-red-700" },
  cancelled: { label: "Cancelled", icon: Ban, className: "bg-stone-500 text-white dark:bg-stone-600" },
};

const iconColours: Record<string, string> = {
  open: "text-emerald-600 dark:text-emerald-400",
  changes_requested: "text-amber-600 dark:text-amber-400",
  applied: "text-violet-600 dark:text-violet-400",
  rejected: "text-red-600 dark:text-red-400",
  cancelled: "text-stone-400",
};

/** The request's state as a solid pill, like a pull request's "Open" / "Merged". */
export function RequestStatusPill({ status, size = "md" }: { status: string; size?: "sm" | "md" }) {
  const look = STATUS_LOOKS[status] ?? STATUS_LOOKS.open!;
  const Icon = look.icon;
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full font-medium whitespace-nowrap",
        size === "md" ? "px-3 py-1 text-sm" : "px-2 py-0.5 text-xs",
        look.className,
      )}
    >
      <Icon className={size === "md" ? "size-4" : "size-3.5"} aria-hidden />
      {look.label}
    </span>
  );
}

/** Just the state's icon, coloured, for lists; labelled for screen readers. */
export function RequestStatusIcon({ status, className }: { status: string; className?: string }) {
  const look = STATUS_LOOKS[status] ?? STATUS_LOOKS.open!;
  const Icon = look.icon;
  return <Icon className={cn("size-4 shrink-0", iconColours[status], className)} aria-label={look.label} role="img" />;
}
