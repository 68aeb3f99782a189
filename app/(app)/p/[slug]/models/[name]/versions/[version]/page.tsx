import { CommentThread } from "@/components/collaboration/comment-thread";
import { GitPullRequest, Lock } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ModelCardPanel } from "@/components/model-cards/model-card-panel";
import { RequestStatusIcon, STATUS_LOOKS } from "@/components/promotions/request-status";
import { AliasChip, StageBadge, TagChip, TargetChip } from "@/components/registry/badges";
import { VersionDescription } from "@/components/registry/descriptions";
import { DatasetsList, MetricsTable } from "@/components/registry/evidence";
import { modelHref, nameFromParam, requestHref, runHref, sourceHref, targetText } from "@/components/registry/format";
import { HowToLoad } from "@/components/registry/how-to-load";
import { ModelSignature } from "@/components/registry/model-signature";
import { RequestPromotionButton } from "@/components/registry/request-promotion-button";
import type { ProtectedTarget, Target } from "@/components/registry/types";
import { InputExample, VersionFiles } from "@/components/registry/version-files";
import { KeyValueTable } from "@/components/tracking/key-value-table";
import { RunStatus } from "@/components/tracking/run-status";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";

type Props = { params: Promise<{ slug: string; name: string; version: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${nameFromParam(name)} v${version}` };
}

/** One model version: where it came from (run, data, metrics, params), what it holds, its reviews. */
export default async function ModelVersionPage({ params }: Props) {
  const { slug, name: rawName, version: rawVersion } = await params;
  const name = nameFromParam(rawName);
  if (!/^[1-9]\d{0,8}$/.test(rawVersion)) notFound();
  const number = Number(rawVersion);
  const api = await serverCaller();
  const [project, detail, model, requests, artifacts, card] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.registry.version({ projectSlug: slug, name, version: number }),
        api.registry.model({ projectSlug: slug, name }),
        api.registry.versionRequests({ projectSlug: slug, name, version: number }),
        api.registry.versionArtifacts({ projectSlug: slug, name, version: number }),
        api.modelCard.get({ projectSlug: slug, name, version: number }),
      ]),
    `${modelHref(slug, name)}/versions/${number}`,
  );
  const row = model.versions.find((v) => v.version === number);
  const { version, run } = detail;
  const protectedTargets: ProtectedTarget[] = model.protectedTargets.filter((t, i, all) => all.findIndex((o) => o.kind === t.kind && o.name === t.name) === i);
  const locked = (t: Target) => protectedTargets.some((p) => p.kind === t.kind && p.name === t.name);
  const held: Target[] = [
    ...(version.currentStage === "Staging" || version.currentStage === "Production" ? [{ kind: "stage" as const, name: version.currentStage }] : []),
    ...version.aliases.map((alias) => ({ kind: "alias" as const, name: alias })),
    ...version.tags.filter((t) => protectedTargets.some((p) => p.kind === "tag" && p.name === t.key)).map((t) => ({ kind: "tag" as const, name: t.key })),
  ];
  const canRequest = project.permissions.includes("promotion.request");
  const trackingUri = `${publicOrigin(await headers())}/p/${slug}`;
  const source = sourceHref(slug, version.source);

  return (
    <>
      <PageHeader
        eyebrow={
          <span className="flex items-center gap-1">
            <Link href={`/p/${slug}/models`} className="hover:underline">
              Models
            </Link>
            <span aria-hidden>/</span>
            <Link href={modelHref(slug, name)} className="normal-case hover:underline">
              {name}
            </Link>
          </span>
        }
        title={
          <span className="flex flex-wrap items-center gap-2">
            Version {version.version}
            {version.currentStage !== "None" && <StageBadge stage={version.currentStage} quiet={false} />}
            {version.aliases.map((a) => (
              <AliasChip key={a} alias={a} locked={locked({ kind: "alias", name: a })} />
            ))}
          </span>
        }
        description={
          <>
            Registered by {row?.registeredBy || version.userId || "—"} <Time value={new Date(version.creationTimestamp)} />
            {run && (
              <>
                {" "}
                from run{" "}
                <Link href={runHref(slug, run.runId)} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                  {run.name}
                </Link>
              </>
            )}
          </>
        }
        actions={
          canRequest ? (
            <RequestPromotionButton
              slug={slug}
              modelName={name}
              versions={model.versions.map((v) => v.version)}
              version={number}
              protectedTargets={protectedTargets}
            />
          ) : undefined
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="Description" />
            <CardBody>
              <VersionDescription
                slug={slug}
                name={name}
                version={number}
                description={version.description}
                editable={project.permissions.includes("model.write")}
              />
            </CardBody>
          </Card>
          <ModelCardPanel slug={slug} card={card} editable={project.permissions.includes("model.write")} />
          <Card>
            <CardHeader title="How to load" description="With the MLflow client, pointed at this project" />
            <CardBody>
              <HowToLoad trackingUri={trackingUri} name={name} version={number} aliases={version.aliases} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Signature" description="The inputs and outputs the model's MLmodel file declares" />
            <ModelSignature signature={artifacts.signature} />
          </Card>
          <Card>
            <CardHeader title="Input example" />
            <InputExample slug={slug} name={name} version={number} example={artifacts.inputExample} />
          </Card>
          <div className="grid gap-6 xl:grid-cols-2">
            <Card className="min-w-0">
              <CardHeader title="Metrics" description={run ? "Latest values logged by the source run" : undefined} />
              <MetricsTable metrics={detail.metrics} empty={run ? "The source run logged no metrics." : "This version has no source run."} />
            </Card>
            <Card className="min-w-0">
              <CardHeader title="Parameters" description={run ? `${Object.keys(detail.params).length} logged` : undefined} />
              <KeyValueTable
                items={Object.entries(detail.params)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([key, value]) => ({ key, value }))}
                empty={run ? "No parameters logged." : "This version has no source run."}
              />
            </Card>
          </div>
          <Card>
            <CardHeader title="Datasets" description="What the source run trained and evaluated on" />
            <DatasetsList datasets={detail.datasets} />
          </Card>
          <Card>
            <CardHeader title="Discussion" />
            <CardBody>
              <CommentThread slug={slug} subject={{ type: "model_version", id: detail.versionId }} />
            </CardBody>
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader title="Lineage" />
            <CardBody>
              <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-2.5 text-sm">
                <dt className="text-stone-500">Experiment</dt>
                <dd className="truncate">
                  {run ? (
                    <Link href={`/p/${slug}/experiments/${run.experimentId}`} className="hover:underline">
                      {run.experimentName}
                    </Link>
                  ) : (
                    "—"
                  )}
                </dd>
                <dt className="text-stone-500">Source run</dt>
                <dd className="min-w-0">
                  {run ? (
                    <span className="flex flex-wrap items-center gap-2">
                      <Link href={runHref(slug, run.runId)} className="truncate font-medium text-brand-700 hover:underline dark:text-brand-100">
                        {run.name}
                      </Link>
                      <RunStatus status={run.status} />
                    </span>
                  ) : (
                    <span className="text-stone-400">none</span>
                  )}
                </dd>
                <dt className="text-stone-500">Trained</dt>
                <dd>{run ? <Time value={new Date(run.startTime)} /> : "—"}</dd>
                <dt className="text-stone-500">Framework</dt>
                <dd>{row?.framework ?? "—"}</dd>
                <dt className="text-stone-500">Source</dt>
                <dd className="font-mono text-xs break-all text-stone-600 dark:text-stone-400">
                  {source ? (
                    <Link href={source} className="text-brand-700 hover:underline dark:text-brand-100">
                      {version.source}
                    </Link>
                  ) : (
                    version.source
                  )}
                </dd>
                <dt className="text-stone-500">Registered</dt>
                <dd>
                  {row?.registeredBy || version.userId || "—"}, <Time value={new Date(version.creationTimestamp)} />
                </dd>
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Files" description={artifacts.flavors.length ? `Flavors: ${artifacts.flavors.join(", ")}` : undefined} />
            <VersionFiles slug={slug} name={name} version={number} stored={artifacts.stored} files={artifacts.files} truncated={artifacts.truncated} />
          </Card>
          <Card>
            <CardHeader title="Targets held" />
            {held.length ? (
              <ul className="flex flex-wrap gap-1.5 px-5 py-4">
                {held.map((t) => (
                  <li key={`${t.kind}:${t.name}`}>
                    <TargetChip target={t} locked={locked(t)} />
                  </li>
                ))}
              </ul>
            ) : (
              <CardBody className="text-sm text-stone-500">This version holds no stage or alias.</CardBody>
            )}
            {protectedTargets.length > 0 && (
              <p className="flex items-center gap-1.5 border-t border-stone-100 px-5 py-2.5 text-xs text-stone-500 dark:border-stone-800">
                <Lock className="size-3" aria-hidden /> Protected: {protectedTargets.map((t) => targetText(t)).join(", ")}
              </p>
            )}
          </Card>
          <Card>
            <CardHeader title="Promotion requests" />
            {requests.length ? (
              <ul className="divide-y divide-stone-100 dark:divide-stone-800">
                {requests.map((r) => (
                  <li key={r.number} className="flex items-start gap-2 px-5 py-3 text-sm">
                    <RequestStatusIcon status={r.status} className="mt-0.5" />
                    <div className="min-w-0">
                      <Link href={requestHref(slug, r.number)} className="font-medium hover:underline">
                        → {targetText({ kind: r.targetKind, name: r.targetName })}
                      </Link>
                      <p className="text-xs text-stone-500">
                        #{r.number} · {STATUS_LOOKS[r.status]?.label.toLowerCase()} · <Time value={r.createdAt} />
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <CardBody className="flex items-center gap-2 text-sm text-stone-500">
                <GitPullRequest className="size-4" aria-hidden /> No promotion requests for this version.
              </CardBody>
            )}
          </Card>
          <Card>
            <CardHeader title="Tags" />
            {version.tags.length ? (
              <div className="flex flex-wrap gap-1.5 px-5 py-4">
                {version.tags.map((t) => (
                  <TagChip key={t.key} name={t.key} value={t.value} />
                ))}
              </div>
            ) : (
              <CardBody className="text-sm text-stone-500">No tags.</CardBody>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
