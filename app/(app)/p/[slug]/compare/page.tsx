import { TRPCError } from "@trpc/server";
import { ArrowLeft, GitCompareArrows } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { parseRunIds } from "@/components/compare/compare-data";
import { CompareView } from "@/components/compare/compare-view";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";
import { COMPARE_MAX_RUNS, COMPARE_MIN_RUNS } from "@/server/services/tracking/compare";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ runs?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Compare runs · ${(await params).slug}` };
}

/** Two to a hundred runs side by side, from the runs table's "Compare" (`?runs=<id>,<id>,…`). */
export default async function ComparePage({ params, searchParams }: Props) {
  const { slug } = await params;
  const asked = parseRunIds((await searchParams).runs);
  const runsHref = `/p/${slug}/runs`;
  const back = (
    <Link href={runsHref} className={buttonClass("secondary", "sm")}>
      <ArrowLeft className="size-4" aria-hidden /> Runs
    </Link>
  );

  if (asked.length < COMPARE_MIN_RUNS) {
    return (
      <>
        <PageHeader title="Compare runs" actions={back} />
        <EmptyState
          icon={<GitCompareArrows className="size-8" aria-hidden />}
          title={asked.length ? "Pick one more run to compare" : "Pick the runs to compare"}
          description="A comparison needs at least two runs. Tick them in the runs table, then choose Compare."
          action={
            <Link href={runsHref} className={buttonClass("primary")}>
              Go to the runs table
            </Link>
          }
        />
      </>
    );
  }

  const runIds = asked.slice(0, COMPARE_MAX_RUNS);
  const api = await serverCaller();
  // The project first, so that a NOT_FOUND below can only be about the runs.
  await load(() => api.project.get({ projectSlug: slug }), `/p/${slug}/compare`);
  const result = await api.compare.runs({ projectSlug: slug, runIds }).then(
    (reply) => ({ reply }),
    (error: unknown) => {
      if (error instanceof TRPCError && error.code === "NOT_FOUND")
        return { problem: `${error.message}: it may have been purged, or belong to another project.` };
      if (error instanceof TRPCError && error.code === "BAD_REQUEST") return { problem: error.message };
      throw error;
    },
  );

  if ("problem" in result) {
    return (
      <>
        <PageHeader title="Compare runs" actions={back} />
        <EmptyState
          title="These runs cannot be compared"
          description={result.problem}
          action={
            <Link href={runsHref} className={buttonClass("primary")}>
              Go to the runs table
            </Link>
          }
        />
      </>
    );
  }

  const { reply } = result;
  const experiments = new Set(reply.runs.map((r) => r.experimentId)).size;
  return (
    <>
      <PageHeader
        title="Compare runs"
        description={`${reply.runs.length} runs from ${experiments === 1 ? "one experiment" : `${experiments} experiments`}`}
        actions={back}
      />
      {asked.length > runIds.length && (
        <div
          role="status"
          className="mb-6 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          A comparison holds at most {COMPARE_MAX_RUNS} runs: showing the first {COMPARE_MAX_RUNS} of the {asked.length} asked for.
        </div>
      )}
      <CompareView slug={slug} reply={reply} />
    </>
  );
}
