"use client";

import { GitPullRequest, Lock, Undo2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "../ui/button";
import { Time } from "../ui/time";
import { TargetChip } from "./badges";
import { requestHref, versionHref } from "./format";
import { RollbackDialog } from "./target-dialogs";
import type { Target } from "./types";

export type ServingTarget = {
  target: Target;
  /** The version holding it now, if any. */
  version: string | null;
  /** How many other versions share the stage (older ones not archived). */
  alsoIn: number;
  rule: { requiredApprovals: number; gates: number; allowEmergencyRollback: boolean; modelSpecific: boolean } | null;
  since: Date | null;
  by: string | null;
  request: number | null;
  approvers: string[];
  /** The version that held it before, when the timeline says so (what a rollback returns to). */
  previous: number | null;
  /** The timeline shows it was the target's first holder: there is nothing to roll back to. */
  firstHolder: boolean;
};

/** Which version holds each stage and alias, how it got there, and a one-step rollback. */
export function ServingTargets(props: { slug: string; modelName: string; targets: ServingTarget[]; canRollback: boolean }) {
  const [rollingBack, setRollingBack] = useState<ServingTarget | null>(null);
  return (
    <>
      <ul className="divide-y divide-stone-100 dark:divide-stone-800">
        {props.targets.map((t) => (
          <li key={`${t.target.kind}:${t.target.name}`} className="flex items-start gap-3 px-5 py-3">
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <TargetChip target={t.target} />
                {t.version ? (
                  <Link href={versionHref(props.slug, props.modelName, t.version)} className="text-sm font-semibold tabular-nums hover:underline">
                    v{t.version}
                  </Link>
                ) : (
                  <span className="text-sm text-stone-400">{t.target.kind === "tag" ? "set by request" : "not assigned"}</span>
                )}
                {t.alsoIn > 0 && <span className="text-xs text-stone-400">+{t.alsoIn} older</span>}
                {t.rule && (
                  <span
                    className="inline-flex items-center gap-1 text-xs text-stone-500 dark:text-stone-400"
                    title={`Protected${t.rule.modelSpecific ? " for this model" : " for every model"}: ${t.rule.requiredApprovals} approval(s), ${t.rule.gates} gate(s)`}
                  >
                    <Lock className="size-3" aria-hidden />
                    <span>
                      {t.rule.requiredApprovals} approval{t.rule.requiredApprovals === 1 ? "" : "s"}
                      {t.rule.gates ? ` · ${t.rule.gates} gate${t.rule.gates === 1 ? "" : "s"}` : ""}
                    </span>
                  </span>
                )}
              </div>
              {t.version && (t.since || t.request) && (
                <p className="mt-1 text-xs text-stone-500 dark:text-stone-400">
                  {t.since && (
                    <>
                      since <Time value={t.since} />
                    </>
                  )}
                  {t.request ? (
                    <>
                      {" · "}
                      <Link href={requestHref(props.slug, t.request)} className="inline-flex items-center gap-0.5 hover:underline">
                        <GitPullRequest className="size-3" aria-hidden />#{t.request}
                      </Link>
                      {t.approvers.length > 0 && <> approved by {t.approvers.join(", ")}</>}
                    </>
                  ) : (
                    t.by && <> · by {t.by}</>
                  )}
                </p>
              )}
            </div>
            {props.canRollback && t.version && t.target.kind !== "tag" && !t.firstHolder && (
              <Button
                size="sm"
                variant="ghost"
                className="shrink-0 text-stone-500"
                onClick={() => setRollingBack(t)}
                aria-label={`Roll back ${t.target.kind === "alias" ? "@" : ""}${t.target.name}`}
              >
                <Undo2 className="size-3.5" aria-hidden /> Roll back
              </Button>
            )}
          </li>
        ))}
      </ul>
      {rollingBack && (
        <RollbackDialog
          slug={props.slug}
          modelName={props.modelName}
          target={rollingBack.target}
          holder={rollingBack.version ?? ""}
          previous={rollingBack.previous}
          emergency={rollingBack.rule ? rollingBack.rule.allowEmergencyRollback : null}
          open
          onOpenChange={(open) => !open && setRollingBack(null)}
        />
      )}
    </>
  );
}
