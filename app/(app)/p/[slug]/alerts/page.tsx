import { BellRing } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AlertsList } from "@/components/alerts/alerts-list";
import { RulesPanel } from "@/components/alerts/rules-panel";
import { KIND_LABELS, type AlertKind } from "@/components/alerts/types";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Alerts · ${(await params).slug}` };
}

const PAGE = 50;
const STATUSES = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
] as const;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The project's alerts, open or resolved, filtered by model and kind, a page at a time; and the rules that open them. */
export default async function AlertsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const search = await searchParams;
  const status = STATUSES.find((s) => s.value === one(search.status))?.value ?? "open";
  const modelName = one(search.model);
  const kind = (Object.keys(KIND_LABELS) as AlertKind[]).find((k) => k === one(search.kind));
  const page = Math.max(0, Math.floor(Number(one(search.page)) || 0));
  const path = `/p/${slug}/alerts`;
  const api = await serverCaller();
  const [project, alerts, rules, models] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.alert.list({ projectSlug: slug, status, modelName, kind, limit: PAGE, offset: page * PAGE }),
        api.alert.rules({ projectSlug: slug }),
        api.registry.models({ projectSlug: slug, limit: 200 }),
      ]),
    path,
  );
  const canManage = project.permissions.includes("alert.manage");
  const href = (changes: Record<string, string | undefined>) => {
    const query = new URLSearchParams(
      Object.entries({ status, model: modelName, kind, ...changes }).filter(
        (e): e is [string, string] => Boolean(e[1]) && !(e[0] === "status" && e[1] === "open"),
      ),
    );
    return query.size ? `${path}?${query}` : path;
  };
  const filtered = Boolean(modelName || kind);

  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-lg font-semibold tracking-tight">Alerts</h2>
        <p className="text-sm text-stone-500 dark:text-stone-400">
          Drift, decay and silence in production; failed runs and metrics crossing a line in training.
        </p>
      </div>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-stone-200 bg-stone-50/60 px-4 py-2.5 sm:px-5 dark:border-stone-800 dark:bg-stone-900/60">
          <nav aria-label="Alert status" className="flex gap-1">
            {STATUSES.map((s) => (
              <Link
                key={s.value}
                href={href({ status: s.value, page: undefined })}
                aria-current={status === s.value ? "page" : undefined}
                className={cn(
                  "rounded-md px-2.5 py-1 text-sm font-medium",
                  status === s.value
                    ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-200 dark:bg-stone-800 dark:text-stone-100 dark:ring-stone-700"
                    : "text-stone-600 hover:text-stone-900 dark:text-stone-400 dark:hover:text-stone-100",
                )}
              >
                {s.label}
              </Link>
            ))}
          </nav>
          <form action={path} method="get" className="flex flex-wrap items-center gap-2">
            {status !== "open" && <input type="hidden" name="status" value={status} />}
            <label htmlFor="alerts-model" className="text-sm text-stone-500">
              Model
            </label>
            <Select id="alerts-model" name="model" defaultValue={modelName ?? ""} className="h-8 w-44">
              <option value="">All models</option>
              {models.models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </Select>
            <label htmlFor="alerts-kind" className="text-sm text-stone-500">
              Kind
            </label>
            <Select id="alerts-kind" name="kind" defaultValue={kind ?? ""} className="h-8 w-40">
              <option value="">All kinds</option>
              {(Object.keys(KIND_LABELS) as AlertKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k].label}
                </option>
              ))}
            </Select>
            <button type="submit" className={buttonClass("secondary", "sm")}>
              Filter
            </button>
          </form>
        </div>
        {alerts.alerts.length ? (
          <AlertsList slug={slug} alerts={alerts.alerts} canResolve={canManage} />
        ) : (
          <div className="p-5">
            <EmptyState
              icon={<BellRing className="size-7" />}
              title={
                status === "open" ? (filtered ? "No open alerts match" : "No open alerts") : filtered ? "No resolved alerts match" : "No resolved alerts yet"
              }
              description={
                rules.length
                  ? "Alerts open here when a rule holds, and reach the project's and the model's watchers (inbox and e-mail) and webhooks."
                  : canManage
                    ? "Add a rule below: drift, decay or no traffic for a model in production, or a failed run or a metric crossing a threshold."
                    : "A maintainer adds rules; alerts then open here when one holds."
              }
            />
          </div>
        )}
        {(page > 0 || alerts.more) && (
          <div className="flex justify-between gap-2 border-t border-stone-200 px-5 py-3 dark:border-stone-800">
            {page > 0 ? (
              <Link href={href({ page: page > 1 ? String(page - 1) : undefined })} className={buttonClass("secondary", "sm")}>
                Newer alerts
              </Link>
            ) : (
              <span />
            )}
            {alerts.more && (
              <Link href={href({ page: String(page + 1) })} className={buttonClass("secondary", "sm")}>
                Older alerts
              </Link>
            )}
          </div>
        )}
      </Card>
      <RulesPanel slug={slug} rules={rules} models={models.models.map((m) => m.name)} canManage={canManage} />
    </div>
  );
}
