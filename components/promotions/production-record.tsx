import Link from "next/link";
import { formatValue } from "../registry/format";
import { Card, CardHeader } from "../ui/card";
import { Time } from "../ui/time";
import type { PromotionRequestPage } from "./types";

type Production = NonNullable<PromotionRequestPage["production"]>;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="mt-0.5 font-mono text-sm tabular-nums">{children}</dd>
    </div>
  );
}

/**
 * The current holder in production since it took the target (at most 30 days): how much it served,
 * its metric where labels came back against the value its run logged at validation, the feature
 * drifting most, and the model's open alerts. The candidate has no production yet; this is the bar.
 */
export function ProductionRecord({ slug, modelName, production }: { slug: string; modelName: string; production: Production }) {
  const { record, since, openAlerts } = production;
  const metric = record.metric;
  const monitoring = `/p/${slug}/models/${encodeURIComponent(modelName)}/monitoring`;
  return (
    <Card>
      <CardHeader
        title={`Version ${record.version} in production`}
        description={
          <>
            Since <Time value={since} />
            {record.lastRecordAt ? (
              <>
                {" "}
                · last record <Time value={record.lastRecordAt} />
              </>
            ) : null}
          </>
        }
        actions={
          <Link href={monitoring} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
            Monitoring →
          </Link>
        }
      />
      {record.records === 0 ? (
        <p className="px-5 py-4 text-sm text-stone-500">Cairn has received no inference records for this version since it took the target.</p>
      ) : (
        <dl className="grid grid-cols-2 gap-4 px-5 py-4 sm:grid-cols-4">
          <Fact label="Records">
            {record.records.toLocaleString("en")}
            <span className="block text-xs text-stone-500">{record.labelled.toLocaleString("en")} labelled</span>
          </Fact>
          <Fact label={`Production ${metric.name}`}>{metric.value === null ? "no labels yet" : formatValue(metric.value)}</Fact>
          <Fact label={`Validation${metric.validationKey ? ` (${metric.validationKey})` : ""}`}>
            {metric.validation === null ? "not logged" : formatValue(metric.validation)}
          </Fact>
          <Fact label="Worst drift (PSI)">{record.worstDrift ? `${record.worstDrift.column} ${formatValue(record.worstDrift.psi)}` : "none measured"}</Fact>
        </dl>
      )}
      <div className="border-t border-stone-200 px-5 py-3 dark:border-stone-800">
        <h3 className="text-sm font-semibold">Open alerts</h3>
        {openAlerts.length ? (
          <ul className="mt-1.5 space-y-1 text-sm">
            {openAlerts.map((a) => (
              <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="text-red-700 dark:text-red-300">{a.title}</span>
                <span className="text-xs text-stone-500">
                  {a.ruleName} · opened <Time value={a.openedAt} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-stone-500">None for this model.</p>
        )}
      </div>
    </Card>
  );
}
