import { Box, FlaskConical, Play, Target as TargetIcon, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { TargetChip } from "../registry/badges";
import { runHref, versionHref } from "../registry/format";
import type { Target } from "../registry/types";
import { RunStatus } from "../tracking/run-status";
import type { Judged } from "./gate-text";
import type { VersionEvidence } from "./types";

function Step({ icon: Icon, label, children, last }: { icon: LucideIcon; label: string; children: ReactNode; last?: boolean }) {
  return (
    <li className="relative flex gap-3 pb-4 last:pb-0">
      {!last && <span className="absolute top-7 bottom-1 left-[13px] w-px bg-stone-200 dark:bg-stone-700" aria-hidden />}
      <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-stone-100 text-stone-500 ring-1 ring-stone-200 dark:bg-stone-800 dark:text-stone-400 dark:ring-stone-700">
        <Icon className="size-3.5" aria-hidden />
      </span>
      <div className="min-w-0 flex-1 pt-0.5">
        <p className="text-[11px] font-medium tracking-wide text-stone-500 uppercase">{label}</p>
        <div className="min-w-0 text-sm">{children}</div>
      </div>
    </li>
  );
}

/** Where the candidate comes from and where it goes: experiment → run → version → target. */
export function Lineage(props: {
  slug: string;
  modelName: string;
  candidate: VersionEvidence;
  holder: VersionEvidence | null;
  target: Target;
  judged: Judged["when"];
}) {
  const { slug, modelName, candidate, holder, target } = props;
  const run = candidate.run;
  return (
    <ol aria-label="Lineage">
      <Step icon={FlaskConical} label="Experiment">
        {run ? (
          <Link href={`/p/${slug}/experiments/${run.experimentId}`} className="block truncate hover:underline">
            {run.experimentName}
          </Link>
        ) : (
          <span className="text-stone-400">—</span>
        )}
      </Step>
      <Step icon={Play} label="Run">
        {run ? (
          <span className="flex min-w-0 flex-wrap items-center gap-1.5">
            <Link href={runHref(slug, run.runId)} className="truncate font-medium text-brand-700 hover:underline dark:text-brand-100">
              {run.name}
            </Link>
            <RunStatus status={run.status} />
          </span>
        ) : (
          <span className="text-stone-400">no source run</span>
        )}
      </Step>
      <Step icon={Box} label="Version">
        <Link href={versionHref(slug, modelName, candidate.version.version)} className="font-medium hover:underline">
          {modelName} v{candidate.version.version}
        </Link>
      </Step>
      <Step icon={TargetIcon} label="Target" last>
        <span className="flex flex-wrap items-center gap-1.5">
          <TargetChip target={target} />
          <span className="text-xs text-stone-500">
            {holder ? (
              <>
                {props.judged === "now" ? "now" : props.judged === "applied" ? "taken from" : "kept by"}{" "}
                <Link href={versionHref(slug, modelName, holder.version.version)} className="hover:underline">
                  v{holder.version.version}
                </Link>
              </>
            ) : props.judged === "applied" ? (
              "given to this version"
            ) : props.judged === "now" ? (
              "not held yet"
            ) : (
              "not held then"
            )}
          </span>
        </span>
      </Step>
    </ol>
  );
}
