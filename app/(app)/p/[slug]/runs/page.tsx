import type { Metadata } from "next";
import { RunsTableSection } from "@/components/runs-table/runs-table-section";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Runs · ${(await params).slug}` };
}

/** Every run of the project, across experiments, in the runs table. */
export default async function ProjectRunsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  return (
    <>
      <h2 className="sr-only">Runs</h2>
      <RunsTableSection slug={slug} searchParams={await searchParams} />
    </>
  );
}
