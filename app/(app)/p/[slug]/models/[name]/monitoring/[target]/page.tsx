import type { Metadata } from "next";
import { headers } from "next/headers";
import { DriftHeatmap } from "@/components/monitoring/drift-heatmap";
import { formatMetric, isRangeKey, RANGE_TEXT, rangeOf, targetLabel, targetOfSegment, targetSegment, type RangeKey } from "@/components/monitoring/format";
import { heatmapData } from "@/components/monitoring/heatmap-data";
import { PsiLegend } from "@/components/monitoring/psi-legend";
import { RangePicker } from "@/components/monitoring/range-picker";
import { MonitoringHeader } from "@/components/monitoring/monitoring-header";
import { SettingsCard } from "@/components/monitoring/settings-card";
import { StartSending } from "@/components/monitoring/start-sending";
import { MetricChart, VolumeChart } from "@/components/monitoring/time-charts";
import { WorstDrift } from "@/components/monitoring/worst-drift";
import { nameFromParam } from "@/components/registry/format";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";
import { telemetrySnippet } from "@/server/services/monitoring/snippet";

type Props = { params: Promise<{ slug: string; name: string; target: string }>; searchParams: Promise<{ range?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, target } = await params;
  return { title: `${targetLabel(targetOfSegment(nameFromParam(target)))} · ${nameFromParam(name)}` };
}

/** One deployed target over a range: drift per column and hour, volume, the production metric against validation, the worst columns' histograms. */
export default async function TargetMonitoringPage({ params, searchParams }: Props) {
  const { slug, name: rawName, target: rawTarget } = await params;
  const requested = (await searchParams).range;
  const rangeKey: RangeKey = isRangeKey(requested) ? requested : "7d";
  const name = nameFromParam(rawName);
  const target = targetOfSegment(nameFromParam(rawTarget));
  const modelPath = `/p/${slug}/models/${encodeURIComponent(name)}`;
  const path = `${modelPath}/monitoring/${targetSegment(target)}`;
  const range = rangeOf(rangeKey);
  const api = await serverCaller();
  const [project, monitoring, view] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.monitoring.model({ projectSlug: slug, name }),
        api.monitoring.target({ projectSlug: slug, name, target, range }),
      ]),
    path,
  );
  const { windows, drift, validations, config } = view;
  const columns = [...new Set(drift.map((d) => d.column))];
  const points = windows.map((w) => ({ at: w.windowStart.getTime(), records: w.records, metric: w.metric }));
  const records = windows.reduce((n, w) => n + w.records, 0);
  const labelled = windows.reduce((n, w) => n + w.labelled, 0);
  const chartRange = { from: range.from.getTime(), to: range.to.getTime() };
  const origin = publicOrigin(await headers());
  const settings = (
    <SettingsCard
      slug={slug}
      monitoring={monitoring}
      editable={project.permissions.includes("monitoring.configure")}
      description="How production is scored for this model."
    />
  );

  return (
    <>
      <MonitoringHeader
        trail={[
          { href: modelPath, label: monitoring.model.name },
          { href: `${modelPath}/monitoring`, label: "Monitoring" },
        ]}
        title={targetLabel(target)}
        description={
          <>
            Last {RANGE_TEXT[rangeKey]}: {records.toLocaleString("en")} records, {labelled.toLocaleString("en")} labelled
            {windows.length > 0 && <> · versions {[...new Set(windows.flatMap((w) => w.versions))].map((v) => `v${v}`).join(", ")}</>}
          </>
        }
        actions={<RangePicker value={rangeKey} href={(key) => `${path}?range=${key}`} />}
      />
      {windows.length === 0 ? (
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="lg:col-span-2">
            <CardBody>
              <StartSending
                slug={slug}
                title={`No records for ${targetLabel(target)} in the last ${RANGE_TEXT[rangeKey]}`}
                snippet={telemetrySnippet({ origin, slug, model: monitoring.model.name, alias: target || "champion" })}
              />
            </CardBody>
          </Card>
          <div className="min-w-0">{settings}</div>
        </div>
      ) : (
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="min-w-0 space-y-6 lg:col-span-2">
            <Card>
              <CardHeader title="Drift by hour" description="PSI of each column against the serving version's reference; worst columns on top." />
              <CardBody className="space-y-4">
                {columns.length ? (
                  <DriftHeatmap data={heatmapData(windows, columns, range)} />
                ) : (
                  <p className="text-sm text-stone-500">
                    Records arrived, but no version serving this target has a reference yet, so there is nothing to compare them with.
                  </p>
                )}
                <PsiLegend />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Volume" description="Records per hour." />
              <CardBody>
                <VolumeChart points={points} range={chartRange} />
              </CardBody>
            </Card>
            <Card>
              <CardHeader
                title={`Production ${config.metric}`}
                description={
                  labelled
                    ? `Per hour, from ${labelled.toLocaleString("en")} labelled records; dashed: the value the version's run logged at validation.`
                    : "No labels yet: post them by record id to the labels endpoint and the metric appears here."
                }
              />
              <CardBody className="space-y-2">
                <MetricChart metric={config.metric} points={points} range={chartRange} validations={validations} />
                <ul className="text-xs text-stone-600 dark:text-stone-400">
                  {validations.map((v) => (
                    <li key={v.version}>
                      v{v.version} validation:{" "}
                      {v.value === null ? `no ${v.key ?? `val_${config.metric}`} metric on its run` : `${formatMetric(config.metric, v.value)} (${v.key})`}
                    </li>
                  ))}
                </ul>
              </CardBody>
            </Card>
          </div>
          <div className="min-w-0 space-y-6">
            <Card>
              <CardHeader title="Worst-drifting columns" description={`Over the last ${RANGE_TEXT[rangeKey]}, against the reference.`} />
              <CardBody>{drift.length ? <WorstDrift drift={drift} /> : <p className="text-sm text-stone-500">No reference to compare with yet.</p>}</CardBody>
            </Card>
            {settings}
          </div>
        </div>
      )}
    </>
  );
}
