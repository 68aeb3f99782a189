import { authorization, mlflowUrl, type Bench } from "./context";
import { drive, perClient, request } from "./load";
import { TARGETS } from "./sizes";
import { summarize } from "./stats";

// Production telemetry through the monitoring API: batches of inference records (8 numeric and 2
// categorical features and a prediction) for a model's alias whose version has a reference, so
// every record is stored raw, counted in its hour's volume and binned into 11 histograms.

const NUMERIC = Array.from({ length: 8 }, (_, k) => `f${k}`);
const CATEGORIES = Array.from({ length: 30 }, (_, k) => `city-${k}`);
const HOUR = 3_600_000;

/** A deterministic pseudo-random number in [0, 1) for record i, feature k. */
const noise = (i: number, k: number) => {
  const x = Math.sin(i * 12.9898 + k * 78.233) * 43758.5453;
  return x - Math.floor(x);
};

function row(i: number): { features: Record<string, number | string>; prediction: number } {
  const features: Record<string, number | string> = {};
  NUMERIC.forEach((name, k) => (features[name] = Number((noise(i, k) * (k + 1) * 10).toFixed(3))));
  features.city = CATEGORIES[Math.floor(noise(i, 8) ** 2 * CATEGORIES.length)]!;
  features.plan = noise(i, 9) < 0.7 ? "basic" : "pro";
  return { features, prediction: noise(i, 10) < 0.4 ? 1 : 0 };
}

async function call(url: string, method: string, headers: Record<string, string>, body: unknown) {
  const outcome = await request(url, { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!outcome.ok) throw new Error(`${method} ${url}: ${outcome.error}`);
}

/** `monitoring.records_per_second`: inference records a second into one instance, with the latency of a batch. */
export async function monitoringGroup(bench: Bench): Promise<void> {
  const { clients, batch, requests, warmup } = bench.sizes.monitoring;
  const project = await bench.project("bench-monitoring");
  const headers = authorization(bench);
  const api = (path: string) => `${bench.server.base}/p/${project.slug}/api/monitoring/v1/${path}`;
  const model = "bench-churn";
  await call(mlflowUrl(bench, project.slug, "registered-models/create"), "POST", headers, { name: model });
  await call(mlflowUrl(bench, project.slug, "model-versions/create"), "POST", headers, { name: model, source: "s3://bench/models/churn" });
  await call(mlflowUrl(bench, project.slug, "registered-models/alias"), "POST", headers, { name: model, alias: "champion", version: "1" });
  const columns = [...NUMERIC, "city", "plan", "prediction"];
  const reference = Array.from({ length: 10_000 }, (_, i) => {
    const r = row(i + 1_000_000);
    return [...columns.slice(0, -1).map((c) => r.features[c]), r.prediction];
  });
  await call(api("reference"), "PUT", headers, { model, version: 1, rows: { columns, data: reference } });

  // Bodies are built before the clock starts; records spread over the last three hours.
  const start = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const total = perClient(requests, clients) + warmup;
  const bodies = Array.from({ length: clients }, (_, c) =>
    Array.from({ length: total }, (_, i) =>
      JSON.stringify({
        model,
        alias: "champion",
        records: Array.from({ length: batch }, (_, k) => {
          const n = (c * total + i) * batch + k;
          return { id: `c${c}-b${i}-r${k}`, timestamp: start + ((n * 7919) % (3 * HOUR)), ...row(n) };
        }),
      }),
    ),
  );
  const url = api("records");
  const post = { ...headers, "content-type": "application/json" };
  const result = await drive({
    phase: `Cairn: monitoring records, batches of ${batch.toLocaleString("en")}, ${clients} clients`,
    clients,
    requests,
    warmup,
    send: (c, i) => request(url, { method: "POST", headers: post, body: bodies[c]![i]! }),
  });
  if (result.failed) throw new Error(`monitoring records failed: ${result.firstError}`);
  const latency = summarize(result.latencies);
  const params = {
    endpoint: "POST /p/<slug>/api/monitoring/v1/records (alias, version with a reference)",
    recordsPerBatch: batch,
    features: { numeric: NUMERIC.length, categorical: 2 },
    histogramsPerRecord: columns.length,
    clients,
    warmupPerClient: warmup,
    requests: result.latencies.length,
    wallSeconds: Number((result.wallMs / 1000).toFixed(2)),
  };
  bench.figures.push(
    {
      name: "monitoring.records_per_second",
      label: `monitoring ingest, ${clients} clients: records/s`,
      value: (result.ok * batch) / (result.wallMs / 1000),
      unit: "records/s",
      params,
      target: { atLeast: TARGETS.monitoringRecordsPerSecond },
    },
    { name: "monitoring.latency_p50", label: `monitoring ingest, batch of ${batch.toLocaleString("en")}: p50 latency`, value: latency.p50, unit: "ms", params },
    { name: "monitoring.latency_p95", label: `monitoring ingest, batch of ${batch.toLocaleString("en")}: p95 latency`, value: latency.p95, unit: "ms", params },
  );
}
