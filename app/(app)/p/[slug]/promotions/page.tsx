import { GitPullRequest } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RequestsList } from "@/components/promotions/requests-list";
import type { RequestSummary } from "@/components/promotions/types";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { firstParam, listHref } from "@/components/ui/list-query";
import { ListHeading, ListPager, ListToolbar, ModelFilter } from "@/components/ui/list-shell";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Promotions · ${(await params).slug}` };
}

const PAGE = 50;
const STATES = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
] as const;

/** The project's promotion requests: open ones to review, closed ones for the record. */
export default async function PromotionsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const search = await searchParams;
  const state = STATES.find((s) => s.value === firstParam(search.state))?.value ?? "open";
  const modelName = firstParam(search.model);
  const before = Number(firstParam(search.before)) || undefined;
  const path = `/p/${slug}/promotions`;
  const api = await serverCaller();
  const [requests, everything, rules, models] = await load(
    () =>
      Promise.all([
        api.promotion.list({ projectSlug: slug, state, modelName, before, limit: PAGE }),
        api.promotion.list({ projectSlug: slug, state: "all", modelName, limit: 200 }),
        api.promotion.rules({ projectSlug: slug }),
        api.registry.models({ projectSlug: slug, limit: 200 }),
      ]),
    path,
  );
  const counts = {
    open: everything.filter((r) => r.open).length,
    closed: everything.filter((r) => !r.open).length,
    all: everything.length,
  };
  const more = everything.length === 200 ? "+" : "";
  const required = (r: RequestSummary) =>
    (
      rules.find((x) => x.rule.targetKind === r.target.kind && x.rule.targetName === r.target.name && x.modelName === r.model) ??
      rules.find((x) => x.rule.targetKind === r.target.kind && x.rule.targetName === r.target.name && x.modelName === null)
    )?.rule.requiredApprovals ?? null;
  const href = (changes: Record<string, string | undefined>) => listHref(path, { state, model: modelName, ...changes }, { state: "open" });

  return (
    <div className="space-y-4">
      <ListHeading title="Promotion requests" description="Pull requests for models: a version asks to hold a protected stage, alias or tag." />
      <Card>
        <ListToolbar
          label="Request state"
          tabs={STATES.map((s) => ({ ...s, href: href({ state: s.value, before: undefined }), count: `${counts[s.value]}${more}` }))}
          current={state}
          action={path}
          hidden={{ state: state === "open" ? undefined : state }}
        >
          <ModelFilter id="requests-model" value={modelName} models={models.models} className="w-48" />
        </ListToolbar>
        {requests.length ? (
          <RequestsList slug={slug} requests={requests} required={required} />
        ) : (
          <div className="p-5">
            <EmptyState
              icon={<GitPullRequest className="size-7" />}
              title={state === "open" ? "No open promotion requests" : state === "closed" ? "No closed promotion requests" : "No promotion requests yet"}
              description={
                rules.length
                  ? "Open one from a model version (“Request promotion”), or let a pipeline ask: moving a protected stage or alias through MLflow opens a request."
                  : "Protect a stage or alias first (Settings → Promotion rules): changes to it then go through reviewed requests."
              }
              action={
                !rules.length ? (
                  <Link href={`/p/${slug}/settings/promotions`} className={buttonClass("secondary", "sm")}>
                    Promotion rules
                  </Link>
                ) : undefined
              }
            />
          </div>
        )}
        <ListPager older={requests.length === PAGE ? { href: href({ before: String(requests.at(-1)!.number) }), label: "Older requests" } : undefined} />
      </Card>
    </div>
  );
}
