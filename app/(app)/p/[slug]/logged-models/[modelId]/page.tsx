import type { Metadata } from "next";
import Link from "next/link";
import { runHref, versionHref } from "@/components/registry/format";
import { RegisterModelButton } from "@/components/registry/register-model-button";
import { KeyValueTable } from "@/components/tracking/key-value-table";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";
import type { LoggedModelStatus } from "@/server/services/tracking/logged-models";

type Props = { params: Promise<{ slug: string; modelId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Logged model ${(await params).modelId}` };
}

const STATUS_LOOK: Record<LoggedModelStatus, { tone: Tone; label: string }> = {
  LOGGED_MODEL_READY: { tone: "green", label: "ready" },
  LOGGED_MODEL_PENDING: { tone: "amber", label: "pending" },
  LOGGED_MODEL_UPLOAD_FAILED: { tone: "red", label: "upload failed" },
};

/**
 * An MLflow 3 logged model (`mlflow.<flavor>.log_model`): what it is, the run that logged it and
 * the versions registered from it. MLflow's "#/experiments/<id>/models/<model id>" links land here.
 */
export default async function LoggedModelPage({ params }: Props) {
  const { slug, modelId } = await params;
  const api = await serverCaller();
  const [{ info, data }, project] = await load(
    () => Promise.all([api.experiment.loggedModel({ projectSlug: slug, modelId }), api.project.get({ projectSlug: slug })]),
    `/p/${slug}/logged-models/${encodeURIComponent(modelId)}`,
  );
  const experiment = await load(() => api.experiment.get({ projectSlug: slug, experimentId: info.experimentId }));
  const tags = info.tags.filter((t) => !t.key.startsWith("mlflow."));
  const status = STATUS_LOOK[info.status];
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/p/${slug}/experiments/${experiment.experimentId}`} className="hover:underline">
            {experiment.name}
          </Link>
        }
        title={info.name}
        description={<span className="font-mono text-xs">{info.modelId}</span>}
        actions={
          <>
            <Badge tone={status.tone}>{status.label}</Badge>
            {project.permissions.includes("model.write") && (
              <RegisterModelButton slug={slug} modelId={info.modelId} suggestedName={info.registrations[0]?.name ?? ""} />
            )}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader title="Logged model" />
          <CardBody>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <dt className="text-stone-500">Logged</dt>
              <dd>
                <Time value={new Date(info.creationTimestampMs)} />
              </dd>
              <dt className="text-stone-500">Run</dt>
              <dd>
                {info.sourceRunId ? (
                  <Link href={runHref(slug, info.sourceRunId)} className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-100">
                    {info.sourceRunId}
                  </Link>
                ) : (
                  "—"
                )}
              </dd>
              <dt className="text-stone-500">Type</dt>
              <dd>{info.modelType || "—"}</dd>
              <dt className="text-stone-500">Registered as</dt>
              <dd className="space-y-0.5">
                {info.registrations.length
                  ? info.registrations.map((r) => (
                      <Link
                        key={`${r.name}/${r.version}`}
                        href={versionHref(slug, r.name, r.version)}
                        className="block text-brand-700 hover:underline dark:text-brand-100"
                      >
                        {r.name} v{r.version}
                      </Link>
                    ))
                  : "—"}
              </dd>
              {info.statusMessage && (
                <>
                  <dt className="text-stone-500">Message</dt>
                  <dd>{info.statusMessage}</dd>
                </>
              )}
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Parameters" description={`${data.params.length} logged`} />
          <KeyValueTable items={data.params} empty="No parameters logged." />
        </Card>
        <Card>
          <CardHeader title="Tags" />
          <KeyValueTable items={tags} empty="No tags." />
        </Card>
      </div>
    </>
  );
}
