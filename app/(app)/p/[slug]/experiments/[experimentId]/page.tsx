import type { Metadata } from "next";
import Link from "next/link";
import { RunsTableSection } from "@/components/runs-table/runs-table-section";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

type Props = {
  params: Promise<{ slug: string; experimentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, experimentId } = await params;
  return { title: `Experiment ${experimentId} · ${slug}` };
}

/** One experiment's runs in the runs table. */
export default async function ExperimentPage({ params, searchParams }: Props) {
  const { slug, experimentId } = await params;
  const api = await serverCaller();
  const experiment = await load(() => api.experiment.get({ projectSlug: slug, experimentId }), `/p/${slug}/experiments/${experimentId}`);
  return (
    <>
      <PageHeader
        eyebrow={`Experiment ${experiment.experimentId}`}
        title={
          <span className="flex items-center gap-3">
            {experiment.name}
            {experiment.lifecycleStage === "deleted" && <Badge tone="red">deleted</Badge>}
          </span>
        }
        actions={
          <Link href={`/p/${slug}/runs?exp=${experiment.experimentId}`} className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-100">
            Across experiments →
          </Link>
        }
      />
      <RunsTableSection slug={slug} experimentId={experiment.experimentId} searchParams={await searchParams} />
    </>
  );
}
