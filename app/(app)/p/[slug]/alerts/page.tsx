import { BellRing } from "lucide-react";
import type { Metadata } from "next";
import { AlertsList } from "@/components/alerts/alerts-list";
import { RulesPanel } from "@/components/alerts/rules-panel";
import { KIND_LABELS, type AlertKind } from "@/components/alerts/types";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { firstParam, listHref } from "@/components/ui/list-query";
import { FilterSelect, ListHeading, ListPager, ListToolbar, ModelFilter } from "@/components/ui/list-shell";
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

/** The project's alerts, open or resolved, filtered by model and kind, a page at a time; and the rules that open them. */
export default async function AlertsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const search = await searchParams;
  const status = STATUSES.find((s) => s.value === firstParam(search.status))?.value ?? "open";
  const modelName = firstParam(search.model);
  const kind = (Object.keys(KIND_LABELS) as AlertKind[]).find((k) => k === firstParam(search.kind));
  const page = Math.max(0, Math.floor(Number(firstParam(search.page)) || 0));
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
  const href = (changes: Record<string, string | undefined>) => listHref(path, { status, model: modelName, kind, ...changes }, { status: "open" });
  const filtered = Boolean(modelName || kind);

  return (
    <div className="space-y-6">
      <ListHeading title="Alerts" description="Drift, decay and silence in production; failed runs and metrics crossing a line in training." />
      <Card>
        <ListToolbar
          label="Alert status"
          tabs={STATUSES.map((s) => ({ ...s, href: href({ status: s.value, page: undefined }) }))}
          current={status}
          action={path}
          hidden={{ status: status === "open" ? undefined : status }}
        >
          <ModelFilter id="alerts-model" value={modelName} models={models.models} className="w-44" />
          <FilterSelect
            id="alerts-kind"
            name="kind"
            label="Kind"
            value={kind}
            all="All kinds"
            options={(Object.keys(KIND_LABELS) as AlertKind[]).map((k) => ({ value: k, label: KIND_LABELS[k].label }))}
            className="w-40"
          />
        </ListToolbar>
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
        <ListPager
          newer={page > 0 ? { href: href({ page: page > 1 ? String(page - 1) : undefined }), label: "Newer alerts" } : undefined}
          older={alerts.more ? { href: href({ page: String(page + 1) }), label: "Older alerts" } : undefined}
        />
      </Card>
      <RulesPanel slug={slug} rules={rules} models={models.models.map((m) => m.name)} canManage={canManage} />
    </div>
  );
}
