import { Lock } from "lucide-react";
import Link from "next/link";
import { Badge, type Tone } from "../ui/badge";
import { cn } from "../ui/cn";
import { targetText } from "./format";
import type { Target } from "./types";

const stageTones: Record<string, Tone> = { Production: "green", Staging: "amber", Archived: "neutral", None: "neutral" };

/** A version's stage; "None" reads as a dash so tables stay quiet. */
export function StageBadge({ stage, quiet = true }: { stage: string; quiet?: boolean }) {
  if (stage === "None" && quiet)
    return (
      <span className="text-stone-400" aria-label="No stage">
        —
      </span>
    );
  return (
    <Badge tone={stageTones[stage] ?? "neutral"} className={stage === "Archived" ? "text-stone-500 dark:text-stone-400" : undefined}>
      {stage}
    </Badge>
  );
}

/** An alias as a chip, optionally with the version it points at and a link. */
export function AliasChip({
  alias,
  version,
  href,
  locked,
  className: extra,
}: {
  alias: string;
  version?: string | number;
  href?: string;
  locked?: boolean;
  className?: string;
}) {
  const body = (
    <>
      {locked && <Lock className="size-3" aria-label="protected" />}
      <span className="font-mono">@{alias}</span>
      {version !== undefined && <span className="text-brand-700/70 dark:text-brand-100/60">v{version}</span>}
    </>
  );
  const className = cn(
    "inline-flex items-center gap-1 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-brand-100 ring-inset dark:bg-brand-700/20 dark:text-brand-100 dark:ring-brand-700/40",
    extra,
  );
  return href ? (
    <Link href={href} className={cn(className, "hover:ring-brand-500")}>
      {body}
    </Link>
  ) : (
    <span className={className}>{body}</span>
  );
}

/** A promotion target as a chip: a stage badge, an alias chip, or a tag. */
export function TargetChip({ target, locked }: { target: Target; locked?: boolean }) {
  if (target.kind === "alias") return <AliasChip alias={target.name} locked={locked} />;
  if (target.kind === "stage") {
    return (
      <Badge tone={stageTones[target.name] ?? "neutral"} className="gap-1">
        {locked && <Lock className="size-3" aria-label="protected" />}
        {target.name}
      </Badge>
    );
  }
  return (
    <Badge tone="blue" className="gap-1">
      {locked && <Lock className="size-3" aria-label="protected" />}
      {targetText(target)}
    </Badge>
  );
}

/** A key=value tag, monospace. */
export function TagChip({ name, value }: { name: string; value?: string }) {
  return (
    <span className="inline-flex max-w-full items-center rounded border border-stone-200 bg-stone-50 px-1.5 py-0.5 font-mono text-[11px] text-stone-600 dark:border-stone-700 dark:bg-stone-800/60 dark:text-stone-300">
      <span className="truncate">
        {name}
        {value !== undefined && value !== "" && <span className="text-stone-400">=</span>}
        {value}
      </span>
    </span>
  );
}
