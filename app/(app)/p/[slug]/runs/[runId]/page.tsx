import type { Metadata } from "next";
import Link from "next/link";
import { CommentThread } from "@/components/collaboration/comment-thread";
import { RunLoggedModels } from "@/components/registry/run-logged-models";
import { RunRegistrations } from "@/components/registry/run-registrations";
import { ArtifactList } from "@/components/tracking/artifact-list";
import { KeyValueTable } from "@/components/tracking/key-value-table";
import { toMetricColumns } from "@/components/tracking/metric-columns";
import { RunMetricPanels } from "@/components/tracking/run-metric-panels";
import { RunAuthorName } from "@/components/tracking/run-author";
import { RunNotes } from "@/components/tracking/run-notes";
import { formatDuration, RunStatus } from "@/components/tracking/run-status";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string; runId: string }>; searchParams: Promise<{ path?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run ${(await params).runId.slice(0, 8)}` };
}

const NOTE_TAG = "mlflow.note.content";
const USER_TAG = "mlflow.user";

export default async function RunPage({ params, searchParams }: Props) {
  const { slug, runId } = await params;
  const { path } = await searchParams;
  const api = await serverCaller();
  const [run, metrics, artifacts, project, layout, registrations, loggedModels] = await load(
    () =>
      Promise.all([
        // The page shows the metric summaries below, not MLflow's latest-value list (10,000 entries on a wide run).
        api.run.get({ projectSlug: slug, runId, latestMetrics: false }),
        api.run.metrics({ projectSlug: slug, runId }),
        api.run.artifacts({ projectSlug: slug, runId, path }),
        api.project.get({ projectSlug: slug }),
        api.chartLayout.get({ projectSlug: slug }),
        api.registry.runVersions({ projectSlug: slug, runId }),
        api.registry.runLoggedModels({ projectSlug: slug, runId }),
      ]),
    `/p/${slug}/runs/${runId}`,
  );
  const experiment = await load(() => api.experiment.get({ projectSlug: slug, experimentId: run.info.experimentId }));
  const tag = (key: string) => run.data.tags.find((t) => t.key === key)?.value;
  // MLflow's system tags are shown as attributes above, except the client's login name, kept as it sent it.
  const userTags = run.data.tags.filter((t) => !t.key.startsWith("mlflow.") || t.key === USER_TAG);
  const canWrite = project.permissions.includes("run.write") && run.info.lifecycleStage === "active";

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/p/${slug}/experiments/${experiment.experimentId}`} className="hover:underline">
            {experiment.name}
          </Link>
        }
        title={run.info.runName}
        description={<span className="font-mono text-xs">{run.info.runId}</span>}
        actions={<RunStatus status={run.info.status} />}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader title="Overview" />
          <CardBody>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <dt className="text-stone-500">Started</dt>
              <dd>
                <Time value={new Date(run.info.startTime)} />
              </dd>
              <dt className="text-stone-500">Duration</dt>
              <dd>{formatDuration(run.info.startTime, run.info.endTime)}</dd>
              <dt className="text-stone-500">Logged by</dt>
              <dd>
                <RunAuthorName author={run.author} reported={run.info.userId} />
              </dd>
              {run.author && run.info.userId && (
                <>
                  <dt className="text-stone-500">MLflow user</dt>
                  <dd className="truncate font-mono text-xs" title="The user the MLflow client reported (user_id, the mlflow.user tag)">
                    {run.info.userId}
                  </dd>
                </>
              )}
              <dt className="text-stone-500">Source</dt>
              <dd className="truncate" title={tag("mlflow.source.name")}>
                {tag("mlflow.source.name") ?? "—"}
              </dd>
              <dt className="text-stone-500">Commit</dt>
              <dd className="font-mono text-xs">{tag("mlflow.source.git.commit")?.slice(0, 12) ?? "—"}</dd>
              {run.info.lifecycleStage === "deleted" && (
                <>
                  <dt className="text-stone-500">State</dt>
                  <dd className="text-red-600">deleted</dd>
                </>
              )}
            </dl>
          </CardBody>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader title="Notes" />
          <CardBody>
            <RunNotes slug={slug} runId={run.info.runId} content={tag(NOTE_TAG) ?? ""} editable={canWrite} />
          </CardBody>
        </Card>
        <RunMetricPanels
          slug={slug}
          runId={run.info.runId}
          metrics={toMetricColumns(metrics)}
          primaryKey={project.primaryMetricKey}
          layout={layout}
          canSaveLayout={project.permissions.includes("layout.save")}
        />
        <Card>
          <CardHeader title="Parameters" description={`${run.data.params.length} logged`} />
          <KeyValueTable items={run.data.params} empty="No parameters logged." label="Parameters" />
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader title="Artifacts" description="Files logged with the run: choose one to preview it." />
          <ArtifactList key={path ?? ""} slug={slug} runId={run.info.runId} files={artifacts.files} path={path} />
        </Card>
        <div className="min-w-0 space-y-6">
          {loggedModels.length > 0 && (
            <Card>
              <CardHeader title="Logged models" description="Models this run logged with MLflow 3" />
              <RunLoggedModels slug={slug} models={loggedModels} canRegister={project.permissions.includes("model.write")} />
            </Card>
          )}
          <Card>
            <CardHeader title="Registered versions" description="Model versions registered from this run" />
            <RunRegistrations slug={slug} versions={registrations} />
          </Card>
          <Card>
            <CardHeader title="Tags" />
            <KeyValueTable items={userTags} empty="No tags." label="Tags" />
          </Card>
        </div>
        {run.inputs.datasetInputs.length > 0 && (
          <Card className="lg:col-span-3">
            <CardHeader title="Datasets" />
            <Table>
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Digest</Th>
                  <Th>Context</Th>
                  <Th>Source</Th>
                </tr>
              </thead>
              <tbody>
                {run.inputs.datasetInputs.map(({ dataset, tags }) => (
                  <tr key={`${dataset.name}:${dataset.digest}`}>
                    <Td className="font-medium">{dataset.name}</Td>
                    <Td className="font-mono text-xs">{dataset.digest}</Td>
                    <Td>{tags.find((t) => t.key === "mlflow.data.context")?.value ?? "—"}</Td>
                    <Td className="max-w-xs truncate text-xs text-stone-500">{dataset.sourceType}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        )}
        <Card className="lg:col-span-3">
          <CardHeader title="Discussion" description="Comments in markdown; @mention a member to notify them." />
          <CardBody>
            <CommentThread slug={slug} subject={{ type: "run", id: run.info.runId }} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
