import { FlaskConical } from "lucide-react";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { RunsList } from "@/components/tracking/runs-list";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string; experimentId: string }>; searchParams: Promise<{ q?: string; page?: string }> };

export default async function ExperimentPage({ params, searchParams }: Props) {
  const { slug, experimentId } = await params;
  const { q, page } = await searchParams;
  const api = await serverCaller();
  const experiment = await load(() => api.experiment.get({ projectSlug: slug, experimentId }), `/p/${slug}/experiments/${experimentId}`);
  let result: Awaited<ReturnType<typeof api.run.search>> | null = null;
  let searchError: string | null = null;
  try {
    result = await api.run.search({ projectSlug: slug, experimentIds: [experimentId], filter: q, maxResults: 50, pageToken: page });
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "BAD_REQUEST")) throw error;
    searchError = error.message;
  }
  return (
    <>
      <PageHeader eyebrow="Experiment" title={experiment.name} description={`Experiment ${experiment.experimentId}${experiment.lifecycleStage === "deleted" ? " · deleted" : ""}`} />
      <form role="search" className="mb-4 flex gap-2" action={`/p/${slug}/experiments/${experimentId}`}>
        <label htmlFor="run-filter" className="sr-only">
          Filter runs
        </label>
        <Input
          id="run-filter"
          name="q"
          defaultValue={q}
          placeholder="metrics.acc > 0.9 and (params.model = 'xgb' or tags.team = 'fraud')"
          className="font-mono"
          aria-invalid={searchError ? true : undefined}
          aria-describedby={searchError ? "run-filter-error" : undefined}
        />
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
      </form>
      {searchError && (
        <p id="run-filter-error" role="alert" className="mb-4 text-sm text-red-600">
          {searchError}
        </p>
      )}
      <Card>
        {result && result.runs.length > 0 ? (
          <RunsList slug={slug} runs={result.runs} />
        ) : (
          <div className="p-5">
            <EmptyState icon={<FlaskConical className="size-7" />} title={q ? "No runs match this filter" : "No runs in this experiment yet"} />
          </div>
        )}
        {result?.nextPageToken && (
          <div className="border-t border-stone-200 px-5 py-3 text-right dark:border-stone-800">
            <Link className="text-sm text-brand-700 hover:underline" href={`/p/${slug}/experiments/${experimentId}?${new URLSearchParams({ ...(q ? { q } : {}), page: result.nextPageToken })}`}>
              Next page →
            </Link>
          </div>
        )}
      </Card>
    </>
  );
}
