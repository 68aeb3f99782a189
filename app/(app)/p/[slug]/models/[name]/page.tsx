import { Activity, GitPullRequest } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { WatchButton } from "@/components/collaboration/watch-button";
import { ModelCardPanel } from "@/components/model-cards/model-card-panel";
import { RequestStatusIcon } from "@/components/promotions/request-status";
import { TagChip } from "@/components/registry/badges";
import { AsOfPicker } from "@/components/registry/as-of-picker";
import { ModelDescription } from "@/components/registry/descriptions";
import { HELD_STAGES, nameFromParam, requestHref, targetText } from "@/components/registry/format";
import { ModelTimeline } from "@/components/registry/model-timeline";
import { RequestPromotionButton } from "@/components/registry/request-promotion-button";
import { ServingTargets, type ServingTarget } from "@/components/registry/serving-targets";
import type { ProtectedTarget, Target } from "@/components/registry/types";
import { VersionsTable } from "@/components/registry/versions-table";
import { buttonClass } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import type { Permission } from "@/server/access/permissions";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: nameFromParam((await params).name) };
}

const MOVES = new Set(["stage.changed", "alias.set", "promotion.rolled_back"]);

/** A registered model: what serves where, its versions, its history, and its state at any date. */
export default async function ModelPage({ params }: Props) {
  const { slug, name: rawName } = await params;
  const name = nameFromParam(rawName);
  const path = `/p/${slug}/models/${encodeURIComponent(name)}`;
  const api = await serverCaller();
  const [project, model, timeline, now, rules, requests, card] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.registry.model({ projectSlug: slug, name }),
        api.registry.timeline({ projectSlug: slug, name, limit: 50 }),
        api.registry.targetsAt({ projectSlug: slug, name, at: new Date() }),
        api.promotion.rules({ projectSlug: slug }),
        api.promotion.list({ projectSlug: slug, modelName: name, state: "open", limit: 20 }),
        api.modelCard.get({ projectSlug: slug, name }),
      ]),
    path,
  );
  const can = (permission: Permission) => project.permissions.includes(permission);

  // The rule that protects each target of this model: its own rule wins over the project-wide one.
  const ruleOf = (target: Target) =>
    rules.find((r) => r.rule.targetKind === target.kind && r.rule.targetName === target.name && r.modelName === model.name)?.rule ??
    rules.find((r) => r.rule.targetKind === target.kind && r.rule.targetName === target.name && r.modelName === null)?.rule ??
    null;
  const protectedTargets: ProtectedTarget[] = [];
  for (const t of model.protectedTargets) {
    const existing = protectedTargets.findIndex((p) => p.kind === t.kind && p.name === t.name);
    if (existing === -1) protectedTargets.push(t);
    else if (t.modelSpecific) protectedTargets[existing] = t;
  }

  const held = (target: Target) => now.targets.find((t) => t.kind === target.kind && t.target === target.name);
  const previousOf = (target: Target, version: string) => {
    const move = timeline.events.find((e) => MOVES.has(e.kind) && e.target === target.name && String(e.toVersion) === version);
    return move
      ? { previous: move.fromVersion, firstHolder: move.fromVersion === null && move.kind !== "promotion.rolled_back" }
      : { previous: null, firstHolder: false };
  };
  const serving = (target: Target, version: string | null, alsoIn = 0): ServingTarget => {
    const rule = ruleOf(target);
    const state = version ? held(target) : undefined;
    const history = version ? previousOf(target, version) : { previous: null, firstHolder: false };
    return {
      target,
      version,
      alsoIn,
      rule: rule
        ? {
            requiredApprovals: rule.requiredApprovals,
            gates: rule.gates.length,
            allowEmergencyRollback: rule.allowEmergencyRollback,
            modelSpecific: rule.modelId !== null,
          }
        : null,
      since: state && String(state.version) === version ? state.since : null,
      by: state && String(state.version) === version ? state.by : null,
      request: state && String(state.version) === version ? state.request : null,
      approvers: state && String(state.version) === version ? state.approvers : [],
      ...history,
    };
  };
  const targets: ServingTarget[] = [
    ...HELD_STAGES.map((stage) => {
      const inStage = model.versions.filter((v) => v.stage === stage);
      return serving({ kind: "stage", name: stage }, inStage[0] ? String(inStage[0].version) : null, Math.max(0, inStage.length - 1));
    }),
    ...model.aliases.map((a) => serving({ kind: "alias", name: a.alias }, a.version)),
    ...protectedTargets
      .filter((t) => t.kind === "alias" && !model.aliases.some((a) => a.alias === t.name))
      .map((t) => serving({ kind: "alias", name: t.name }, null)),
    ...protectedTargets.filter((t) => t.kind === "tag").map((t) => serving({ kind: "tag", name: t.name }, null)),
  ];
  const versions = model.versions.map((v) => v.version);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/p/${slug}/models`} className="hover:underline">
            Models
          </Link>
        }
        title={model.name}
        description={
          <>
            {model.versions.length} version{model.versions.length === 1 ? "" : "s"} · registered by {model.createdBy || "—"}{" "}
            <Time value={new Date(model.creationTimestamp)} /> · updated <Time value={new Date(model.lastUpdatedTimestamp)} />
          </>
        }
        actions={
          <>
            <Link href={`${path}/monitoring`} className={buttonClass("secondary")}>
              <Activity className="size-4" aria-hidden /> Monitoring
            </Link>
            <WatchButton slug={slug} subject={{ type: "registered_model", name: model.name }} />
            {can("promotion.request") && versions.length > 0 && (
              <RequestPromotionButton slug={slug} modelName={model.name} versions={versions} protectedTargets={protectedTargets} />
            )}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="About" />
            <CardBody className="space-y-3">
              <ModelDescription slug={slug} name={model.name} description={model.description} editable={can("model.write")} />
              {model.tags.length > 0 && (
                <div className="flex flex-wrap gap-1 border-t border-stone-100 pt-3 dark:border-stone-800">
                  {model.tags.map((t) => (
                    <TagChip key={t.key} name={t.key} value={t.value} />
                  ))}
                </div>
              )}
            </CardBody>
          </Card>
          <ModelCardPanel slug={slug} card={card} editable={can("model.write")} />
          <Card>
            <CardHeader title="Versions" description="Newest first. Each links to the run that trained it." />
            {model.versions.length ? (
              <VersionsTable
                slug={slug}
                modelName={model.name}
                versions={model.versions}
                aliases={model.aliases}
                protectedTargets={protectedTargets}
                canWrite={can("model.write")}
                canRequest={can("promotion.request")}
              />
            ) : (
              <div className="p-5">
                <EmptyState title="No versions yet" description={`Register one from MLflow: mlflow.register_model("runs:/<run_id>/model", "${model.name}").`} />
              </div>
            )}
          </Card>
          <Card>
            <CardHeader title="Timeline" description="Every registration, stage and alias move, review, promotion and rollback." />
            <ModelTimeline key={timeline.events[0]?.id ?? 0} slug={slug} modelName={model.name} initial={timeline} />
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader title="Serving" description="Which version holds each stage and alias." />
            <ServingTargets slug={slug} modelName={model.name} targets={targets} canRollback={can("promotion.rollback")} />
          </Card>
          <Card>
            <CardHeader
              title="Open requests"
              actions={
                <Link href={`/p/${slug}/promotions`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
                  All →
                </Link>
              }
            />
            {requests.length ? (
              <ul className="divide-y divide-stone-100 dark:divide-stone-800">
                {requests.map((r) => (
                  <li key={r.number} className="flex items-start gap-2 px-5 py-3 text-sm">
                    <RequestStatusIcon status={r.status} className="mt-0.5" />
                    <div className="min-w-0">
                      <Link href={requestHref(slug, r.number)} className="font-medium hover:underline">
                        v{r.version} → {targetText(r.target)}
                      </Link>
                      {r.rollback && (
                        <span className="ml-1.5 rounded-full bg-amber-50 px-1.5 py-px text-[11px] font-medium text-amber-800 dark:bg-amber-900/30 dark:text-amber-300">
                          rollback
                        </span>
                      )}
                      <p className="text-xs text-stone-500">
                        #{r.number} by {r.requester ?? "—"} · <Time value={r.createdAt} />
                        {r.stale && <span className="ml-1 text-amber-600 dark:text-amber-400">· stale</span>}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <CardBody className="flex items-center gap-2 text-sm text-stone-500">
                <GitPullRequest className="size-4" aria-hidden /> No open promotion requests.
              </CardBody>
            )}
          </Card>
          <Card>
            <CardHeader title="As of" description="What served when, who approved it, and why." />
            <CardBody>
              <AsOfPicker slug={slug} modelName={model.name} createdAt={new Date(model.creationTimestamp)} />
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}
