import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { cairnApi, type Bench, type TrackingApi } from "./context";
import { drive, perClient, request, type LoadResult } from "./load";
import { createRun, mlflowApi } from "./mlflow-data";
import { note } from "./progress";
import { insertRun, insertSeries, refreshSeries } from "./seed";
import { TARGETS } from "./sizes";
import { summarize } from "./stats";

// Ingest through the MLflow REST API, and the same batches straight into `metric_points`.
// A batch is 1,000 points: 10 metric keys × 100 consecutive steps, as a training loop that logs
// ten metrics flushes them; batch i of a client holds steps 100·i … 100·i + 99.

const BATCH_POINTS = 1000;
const KEYS = Array.from({ length: 10 }, (_, k) => `metric_${k}`);
const STEPS_PER_BATCH = BATCH_POINTS / KEYS.length;
const T0 = 1_700_000_000_000;

type Point = { key: number; step: number; timestamp: number; value: number };

function batchPoints(i: number): Point[] {
  const points: Point[] = [];
  for (let s = 0; s < STEPS_PER_BATCH; s++) {
    const step = i * STEPS_PER_BATCH + s;
    for (let key = 0; key < KEYS.length; key++) {
      points.push({ key, step, timestamp: T0 + step * 50, value: Math.exp(-step / 1e5) * (1 + key) + 0.01 * Math.sin(step * 12.9898 + key) });
    }
  }
  return points;
}

/** Requests per client (the measured requests split evenly) plus the warm-up ones. */
function requestsOf(bench: Bench, clients: number) {
  const all = bench.sizes.ingest.requests[clients]!;
  return { all, total: perClient(all, clients) + bench.sizes.ingest.warmup };
}

/**
 * log-batch with 1 and with 4 clients, each client logging to its own run created over the API;
 * with `--mlflow`, the same requests to MLflow's server right after Cairn's.
 */
export async function ingestGroup(bench: Bench): Promise<void> {
  const project = await bench.project("bench-ingest");
  const cairn = cairnApi(bench, project.slug);
  const mlflow = bench.mlflow ? await mlflowApi(bench, project.slug) : undefined;
  for (const clients of bench.sizes.ingest.clients) {
    const result = await ingestLoad(bench, cairn, clients);
    bench.ingestRate.set(clients, (result.ok * BATCH_POINTS) / (result.wallMs / 1000));
    addLoadFigures(bench, {
      name: "ingest",
      label: `log-batch ingest, ${clients} client${clients > 1 ? "s" : ""}`,
      clients,
      result,
      mlflow: mlflow && (await ingestLoad(bench, mlflow, clients)),
      params: { endpoint: "POST runs/log-batch", batchPoints: BATCH_POINTS, metricKeys: KEYS.length, stepsPerBatch: STEPS_PER_BATCH },
      target: clients === 1 ? { atLeast: TARGETS.ingestPointsPerSecond } : undefined,
      fasterThanMlflow: TARGETS.fasterThanMlflow.ingest[clients],
    });
  }
}

/** The ingest load on one server: a run per client, then every client's batches, timed. */
async function ingestLoad(bench: Bench, api: TrackingApi, clients: number): Promise<LoadResult> {
  const { total, all } = requestsOf(bench, clients);
  const runIds: string[] = [];
  for (let c = 0; c < clients; c++) runIds.push(await createRun(api, { start_time: Date.now(), run_name: `ingest-${clients}-clients-${c}` }));
  // Bodies are built before the clock starts, so the load generator spends its CPU on HTTP only.
  const bodies = runIds.map((runId) =>
    Array.from({ length: total }, (_, i) =>
      JSON.stringify({
        run_id: runId,
        metrics: batchPoints(i).map((p) => ({ key: KEYS[p.key], value: p.value, timestamp: p.timestamp, step: p.step })),
      }),
    ),
  );
  const url = api.url("runs/log-batch");
  const headers = { ...api.headers, "content-type": "application/json" };
  const result = await drive({
    phase: `${api.name}: ingest, log-batch of ${BATCH_POINTS} points, ${clients} client${clients > 1 ? "s" : ""}`,
    clients,
    requests: all,
    warmup: bench.sizes.ingest.warmup,
    send: (c, i) => request(url, { method: "POST", headers, body: bodies[c]![i]! }),
  });
  return result;
}

function addLoadFigures(
  bench: Bench,
  f: {
    name: string;
    label: string;
    clients: number;
    result: LoadResult;
    params: Record<string, unknown>;
    target?: { atLeast: number };
    /** The same load on MLflow's server. */
    mlflow?: LoadResult;
    /** How many times MLflow's rate the goal is. */
    fasterThanMlflow?: number;
  },
) {
  const latency = summarize(f.result.latencies);
  const mlflow = f.mlflow && summarize(f.mlflow.latencies);
  const params = {
    ...f.params,
    clients: f.clients,
    warmupPerClient: bench.sizes.ingest.warmup,
    requests: f.result.latencies.length,
    failed: f.result.failed,
    wallSeconds: Number((f.result.wallMs / 1000).toFixed(2)),
    ...(f.mlflow ? { mlflowFailed: f.mlflow.failed, mlflowWallSeconds: Number((f.mlflow.wallMs / 1000).toFixed(2)) } : {}),
  };
  const suffix = `${f.clients}_client${f.clients > 1 ? "s" : ""}`;
  const rate = (result: LoadResult) => (result.ok * BATCH_POINTS) / (result.wallMs / 1000);
  bench.figures.push(
    {
      name: `${f.name}.points_per_second.${suffix}`,
      label: `${f.label}: points/s`,
      value: rate(f.result),
      unit: "points/s",
      params,
      target: f.target,
      mlflow: f.mlflow && rate(f.mlflow),
      fasterThanMlflow: f.fasterThanMlflow,
    },
    { name: `${f.name}.latency_p50.${suffix}`, label: `${f.label}: p50 latency`, value: latency.p50, unit: "ms", params, mlflow: mlflow?.p50 },
    { name: `${f.name}.latency_p95.${suffix}`, label: `${f.label}: p95 latency`, value: latency.p95, unit: "ms", params, mlflow: mlflow?.p95 },
  );
}

type RawMethod = "unnest" | "copy";

/**
 * The machine's ceiling: the same batches inserted straight into `metric_points` from Node, each
 * batch its own transaction, by a multi-row `unnest` insert and by COPY, with 1 and 4 connections.
 */
export async function rawGroup(bench: Bench): Promise<void> {
  const project = await bench.project("bench-ingest");
  // COPY FROM STDIN through the embedded database's socket breaks the protocol for every
  // connection (the job queue's too) and leaves PGlite unusable, so it is not tried there.
  const methods: RawMethod[] = bench.server.database === "pglite" ? ["unnest"] : ["unnest", "copy"];
  if (bench.server.database === "pglite") note("  COPY is skipped on PGlite: it breaks the embedded database's socket protocol");
  for (const clients of bench.sizes.ingest.clients) {
    const { all, total } = requestsOf(bench, clients);
    let best = 0;
    for (const method of methods) {
      const seriesIds: number[][] = [];
      for (let c = 0; c < clients; c++) {
        const runId = await insertRun(bench.sql, project, `raw-${method}-${clients}-clients-${c}`);
        seriesIds.push(await insertSeries(bench.sql, runId, KEYS));
      }
      // As for the API, the batches are ready before the clock starts.
      const batches = seriesIds.map((ids) => Array.from({ length: total }, (_, i) => prepareBatch(method, ids, batchPoints(i))));
      let result: LoadResult;
      try {
        result = await drive({
          phase: `raw insert (${method}), ${clients} connection${clients > 1 ? "s" : ""}`,
          clients,
          requests: all,
          warmup: bench.sizes.ingest.warmup,
          send: async (c, i) => {
            await insertBatch(bench, batches[c]![i]!);
            return { ok: true, bytes: 0, status: 200 };
          },
        });
      } finally {
        // Keep the series rows consistent with the points just written.
        await refreshSeries(bench.sql, seriesIds.flat());
      }
      if (result.failed) throw new Error(`raw ${method} insert failed: ${result.firstError}`);
      const rate = (result.ok * BATCH_POINTS) / (result.wallMs / 1000);
      best = Math.max(best, rate);
      addLoadFigures(bench, {
        name: `raw_insert.${method}`,
        label: `raw insert (${method === "copy" ? "COPY" : "unnest insert"}), ${clients} connection${clients > 1 ? "s" : ""}`,
        clients,
        result,
        params: {
          method:
            method === "copy"
              ? "COPY metric_points FROM STDIN (text), one transaction per batch"
              : "INSERT … SELECT FROM unnest($1::bigint[], …), one transaction per batch",
          batchPoints: BATCH_POINTS,
        },
      });
    }
    bench.ceiling.set(clients, { rate: best, methods });
  }
}

type RawBatch = { method: "unnest"; columns: [number[], number[], number[], number[]] } | { method: "copy"; text: string };

function prepareBatch(method: RawMethod, seriesIds: number[], points: Point[]): RawBatch {
  if (method === "copy") {
    return { method, text: points.map((p) => `${seriesIds[p.key]}\t${p.step}\t${p.timestamp}\t${p.value}\n`).join("") };
  }
  return {
    method,
    columns: [points.map((p) => seriesIds[p.key]!), points.map((p) => p.step), points.map((p) => p.timestamp), points.map((p) => p.value)],
  };
}

/** One batch, one transaction: the API also writes a batch in one transaction. */
async function insertBatch(bench: Bench, batch: RawBatch): Promise<void> {
  await bench.sql.begin(async (tx) => {
    if (batch.method === "unnest") {
      const [ids, steps, timestamps, values] = batch.columns;
      await tx`
        insert into metric_points (series_id, step, timestamp, value)
        select * from unnest(${tx.array(ids)}::bigint[], ${tx.array(steps)}::bigint[], ${tx.array(timestamps)}::bigint[], ${tx.array(values)}::float8[])`;
    } else {
      const writable: Writable = await tx`copy metric_points (series_id, step, timestamp, value) from stdin`.writable();
      await pipeline(Readable.from([batch.text]), writable);
    }
  });
}

/** Ingest as a share of the raw ceiling with as many clients as connections. */
export function fractionFigures(bench: Bench): void {
  for (const clients of bench.sizes.ingest.clients) {
    const rate = bench.ingestRate.get(clients);
    const ceiling = bench.ceiling.get(clients);
    if (rate === undefined || ceiling === undefined) continue;
    bench.figures.push({
      name: `ingest.fraction_of_raw_ceiling.${clients}_client${clients > 1 ? "s" : ""}`,
      label: `log-batch ingest, ${clients} client${clients > 1 ? "s" : ""}: share of the raw-insert ceiling`,
      value: (100 * rate) / ceiling.rate,
      unit: "%",
      params: { clients, ingestPointsPerSecond: Math.round(rate), ceilingPointsPerSecond: Math.round(ceiling.rate), ceilingMethods: ceiling.methods },
      target: TARGETS.ingestFractionOfCeiling[clients] === undefined ? undefined : { atLeast: TARGETS.ingestFractionOfCeiling[clients]! },
    });
  }
}
