import { Activity } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { targetLabel, targetSegment } from "@/components/monitoring/format";
import { MonitoringHeader } from "@/components/monitoring/monitoring-header";
import { SettingsCard } from "@/components/monitoring/settings-card";
import { StartSending } from "@/components/monitoring/start-sending";
import { nameFromParam } from "@/components/registry/format";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";
import { telemetrySnippet } from "@/server/services/monitoring/snippet";

type Props = { params: Promise<{ slug: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Monitoring · ${nameFromParam((await params).name)}` };
}

/** A registered model in production: the targets it is served under, their traffic, its references and settings. */
export default async function ModelMonitoringPage({ params }: Props) {
  const { slug, name: rawName } = await params;
  const name = nameFromParam(rawName);
  const modelPath = `/p/${slug}/models/${encodeURIComponent(name)}`;
  const api = await serverCaller();
  const [project, monitoring] = await load(
    () => Promise.all([api.project.get({ projectSlug: slug }), api.monitoring.model({ projectSlug: slug, name })]),
    `${modelPath}/monitoring`,
  );
  const origin = publicOrigin(await headers());
  const alias = monitoring.targets.find((t) => t.target !== "")?.target ?? "champion";
  const hasTraffic = monitoring.targets.some((t) => t.records > 0);

  return (
    <>
      <MonitoringHeader
        trail={[
          { href: `/p/${slug}/models`, label: "Models" },
          { href: modelPath, label: monitoring.model.name },
        ]}
        title="Monitoring"
        description="Drift of inputs and predictions against each version's reference, and the metric in production once labels come back."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="Deployed targets" description="Each alias the model is served under, and versions addressed directly." />
            {monitoring.targets.length ? (
              <Table>
                <thead>
                  <tr>
                    <Th>Target</Th>
                    <Th>Versions served</Th>
                    <Th className="text-right">Records</Th>
                    <Th>Last records</Th>
                  </tr>
                </thead>
                <tbody>
                  {monitoring.targets.map((t) => (
                    <tr key={t.target}>
                      <Td>
                        <Link
                          href={`${modelPath}/monitoring/${targetSegment(t.target)}`}
                          className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                        >
                          {targetLabel(t.target)}
                        </Link>
                        {t.aliasVersion !== null && <span className="ml-1.5 text-xs text-stone-500">→ v{t.aliasVersion} now</span>}
                      </Td>
                      <Td>{t.versions.length ? t.versions.map((v) => `v${v}`).join(", ") : "—"}</Td>
                      <Td className="text-right tabular-nums">{t.records.toLocaleString("en")}</Td>
                      <Td>{t.lastRecordAt ? <Time value={t.lastRecordAt} /> : <span className="text-stone-500">no records yet</span>}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            ) : (
              <CardBody className="flex items-center gap-2 text-sm text-stone-500">
                <Activity className="size-4" aria-hidden /> No alias points at a version yet, and no records were sent.
              </CardBody>
            )}
          </Card>
          {!hasTraffic && (
            <Card>
              <CardBody>
                <StartSending slug={slug} title="No production records yet" snippet={telemetrySnippet({ origin, slug, model: monitoring.model.name, alias })} />
              </CardBody>
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <SettingsCard
            slug={slug}
            monitoring={monitoring}
            editable={project.permissions.includes("monitoring.configure")}
            description="How production is scored and how long raw records are kept."
          />
          <Card>
            <CardHeader title="References" description="The distribution each version is compared with." />
            {monitoring.references.length ? (
              <ul className="divide-y divide-stone-100 text-sm dark:divide-stone-800">
                {monitoring.references.map((r) => (
                  <li key={r.version} className="px-5 py-2.5">
                    <span className="font-medium">v{r.version}</span>
                    <span className="ml-1.5 text-stone-500">
                      {r.rows.toLocaleString("en")} rows · {r.source === "api" ? "posted through the API" : r.source.replace(/^artifact:/, "from ")} ·{" "}
                      <Time value={r.createdAt} />
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <CardBody className="text-sm text-stone-500">
                No version has a reference yet: records are counted, but drift needs one. Set it from a table the training run logged or rows sent to the API.
              </CardBody>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
