import { FlaskConical } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { ListLink } from "@/components/ui/list-link";
import { ActiveMembers } from "@/components/tracking/active-members";
import { Leaderboard } from "@/components/tracking/leaderboard";
import { MlflowLinkRedirect } from "@/components/tracking/mlflow-link-redirect";
import { MlflowSnippet } from "@/components/tracking/mlflow-snippet";
import { RunsList } from "@/components/tracking/runs-list";
import { StatTiles } from "@/components/tracking/stat-tiles";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: (await params).slug };
}

export default async function ProjectOverviewPage(props: { params: Promise<{ slug: string }>; searchParams: Promise<{ leaderboard?: string }> }) {
  const { slug } = await props.params;
  const status = (await props.searchParams).leaderboard === "all" ? "all" : "FINISHED";
  const api = await serverCaller();
  const [project, experiments, recent, board, stats, active] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.experiment.list({ projectSlug: slug }),
        api.overview.recent({ projectSlug: slug }),
        api.overview.leaderboard({ projectSlug: slug, status }),
        api.overview.stats({ projectSlug: slug }),
        api.overview.activity({ projectSlug: slug }),
      ]),
    `/p/${slug}`,
  );
  const trackingUri = `${publicOrigin(await headers())}/p/${slug}`;
  const hasRuns = recent.runs.length > 0;
  return (
    <div className="space-y-6">
      <MlflowLinkRedirect slug={project.slug} />
      {project.description && <p className="max-w-3xl text-sm text-stone-600 dark:text-stone-400">{project.description}</p>}
      {!hasRuns && (
        <Card>
          <CardHeader title="Log your first run" description="Point MLflow at this project." />
          <CardBody>
            <MlflowSnippet trackingUri={trackingUri} slug={slug} />
          </CardBody>
        </Card>
      )}
      {hasRuns && (
        <StatTiles
          stats={[
            { label: "Experiments", value: stats.experiments },
            { label: "Runs", value: stats.runs },
            { label: "Runs this week", value: stats.runsThisWeek },
            { label: "Running now", value: stats.running },
          ]}
        />
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Leaderboard slug={slug} board={board} canConfigure={project.permissions.includes("project.update")} />
        </div>
        <ActiveMembers members={active} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Recent runs"
            actions={
              hasRuns ? (
                <Link href={`/p/${slug}/runs`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
                  All runs →
                </Link>
              ) : undefined
            }
          />
          {hasRuns ? (
            <RunsList slug={slug} runs={recent.runs} metricKey={recent.metricKey} experimentNames={new Map(experiments.map((e) => [e.experimentId, e.name]))} />
          ) : (
            <div className="p-5">
              <EmptyState icon={<FlaskConical className="size-7" />} title="No runs yet" description="Runs appear here as soon as a script logs one." />
            </div>
          )}
        </Card>
        <Card>
          <CardHeader title="Experiments" description={`${experiments.length} active`} />
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th className="text-right">Runs</Th>
                <Th className="hidden sm:table-cell">Last activity</Th>
              </tr>
            </thead>
            <tbody>
              {experiments.map((e) => (
                <tr key={e.experimentId}>
                  <Td>
                    <ListLink href={`/p/${slug}/experiments/${e.experimentId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                      {e.name}
                    </ListLink>
                  </Td>
                  <Td className="text-right tabular-nums">{e.runCount}</Td>
                  <Td className="hidden text-stone-500 sm:table-cell">
                    <Time value={new Date(e.lastActivity)} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
      {hasRuns && (
        <details className="rounded-lg border border-stone-200 bg-white p-4 dark:border-stone-800 dark:bg-stone-900">
          <summary className="cursor-pointer text-sm font-medium">Log to this project from MLflow</summary>
          <div className="mt-4">
            <MlflowSnippet trackingUri={trackingUri} slug={slug} />
          </div>
        </details>
      )}
    </div>
  );
}
