import Link from "next/link";
import type { ReactNode } from "react";
import { runHref, targetText, versionHref } from "../registry/format";
import { RunStatus } from "../tracking/run-status";
import { Card, CardHeader } from "../ui/card";
import { Time } from "../ui/time";
import { DatasetsComparison } from "./datasets-comparison";
import { MetricComparison } from "./metric-comparison";
import { ParamComparison } from "./param-comparison";
import { closedMoment } from "./request-text";
import type { PromotionRequestPage, VersionEvidence } from "./types";

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="border-t border-stone-200 first:border-t-0 dark:border-stone-800" aria-label={title}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4 pb-1">
        <h3 className="text-sm font-semibold">{title}</h3>
        {description && <p className="text-xs text-stone-500 dark:text-stone-400">{description}</p>}
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

/** The candidate against the holder (today's while open, the one of the time once closed): metrics, params, data. */
export function EvidenceCard({ slug, page }: { slug: string; page: PromotionRequestPage }) {
  const { request, model, candidate, holder, comparison, gates } = page;
  const open = request.open;
  const target = targetText(request.target);
  const before = closedMoment(request);
  return (
    <Card>
      <CardHeader
        title={holder ? (open ? "Candidate against the current holder" : "Candidate against the holder of the time") : "Evidence"}
        description={
          holder
            ? `Version ${candidate.version.version} against version ${holder.version.version}, which ${open ? `holds ${target} now` : `held ${target} ${before}`}`
            : open
              ? `No other version holds ${target}: the candidate's own numbers`
              : `No version held ${target} ${before}: the candidate's own numbers`
        }
      />
      <div className="grid gap-3 px-5 pt-4 sm:grid-cols-2">
        <VersionCard slug={slug} modelName={model.name} evidence={candidate} role="Candidate" />
        {holder ? (
          <VersionCard slug={slug} modelName={model.name} evidence={holder} role={`${open ? "Holds" : "Held"} ${target}`} />
        ) : (
          <div className="flex items-center rounded-md border border-dashed border-stone-300 p-3 text-sm text-stone-500 dark:border-stone-700">
            {open ? `No version holds ${target} yet.` : `No version held ${target} ${before}.`}
          </div>
        )}
      </div>
      <Section title="Metrics" description={holder ? "Δ = candidate − holder; coloured where a gate says which way is better" : undefined}>
        <MetricComparison comparison={comparison.metrics} gates={gates.map((g) => g.gate)} hasHolder={Boolean(holder)} />
      </Section>
      <Section title="Parameters">
        <ParamComparison params={comparison.params} hasHolder={Boolean(holder)} />
      </Section>
      <Section title="Datasets">
        <DatasetsComparison candidate={candidate.datasets} holder={holder ? holder.datasets : null} />
      </Section>
    </Card>
  );
}
