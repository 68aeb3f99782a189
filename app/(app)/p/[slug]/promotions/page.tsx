import { GitPullRequest } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RequestsList } from "@/components/promotions/requests-list";
import type { RequestSummary } from "@/components/promotions/types";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
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
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The project's promotion requests: open ones to review, closed ones for the record. */
export default async function PromotionsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const search = await searchParams;
  const state = STATES.find((s) => s.value === one(search.state))?.value ?? "open";
  const modelName = one(search.model);
  const before = Number(one(search.before)) || undefined;
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
  const href = (changes: Record<string, string | undefined>) => {
    const query = new URLSearchParams(
      Object.entries({ state, model: modelName, ...changes }).filter((e): e is [string, string] => Boolean(e[1]) && !(e[0] === "state" && e[1] === "open")),
    );
    return query.size ? `${path}?${query}` : path;
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold tracking-tight">Promotion requests</h2>
          <p className="text-sm text-stone-500 dark:text-stone-400">Pull requests for models: a version asks to hold a protected stage, alias or tag.</p>
        </div>
      </div>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-stone-200 bg-stone-50/60 px-4 py-2.5 sm:px-5 dark:border-stone-800 dark:bg-stone-900/60">
          <nav aria-label="Request state" className="flex gap-1">
            {STATES.map((s) => (
              <Link
                key={s.value}
                href={href({ state: s.value, before: undefined })}
                aria-current={state === s.value ? "page" : undefined}
                className={cn(
                  "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium",
                  state === s.value
                    ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-200 dark:bg-stone-800 dark:text-stone-100 dark:ring-stone-700"
                    : "text-stone-600 hover:text-stone-900 dark:text-stone-400 dark:hover:text-stone-100",
                )}
              >
                {s.label}
                <span className="rounded-full bg-stone-200/70 px-1.5 text-xs tabular-nums dark:bg-stone-700">
                  {counts[s.value]}
                  {more}
                </span>
              </Link>
            ))}
          </nav>
          <form action={path} method="get" className="flex items-center gap-2">
            {state !== "open" && <input type="hidden" name="state" value={state} />}
            <label htmlFor="requests-model" className="text-sm text-stone-500">
              Model
            </label>
            <Select id="requests-model" name="model" defaultValue={modelName ?? ""} className="h-8 w-48">
              <option value="">All models</option>
              {models.models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </Select>
            <button type="submit" className={buttonClass("secondary", "sm")}>
              Filter
            </button>
          </form>
        </div>
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
        {requests.length === PAGE && (
          <div className="flex justify-end border-t border-stone-200 px-5 py-3 dark:border-stone-800">
            <Link href={href({ before: String(requests.at(-1)!.number) })} className={buttonClass("secondary", "sm")}>
              Older requests
            </Link>
          </div>
        )}
      </Card>
    </div>
  );
}
