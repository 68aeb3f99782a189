import { signInBench } from "./accounts";
import { authorization, cairnApi, hexId, mlflowUrl, once, type Bench, type TrackingApi } from "./context";
import { drive, request, type LoadResult, type Outcome } from "./load";
import { copyRunsToMlflow, copySeriesToMlflow, mlflowApi } from "./mlflow-data";
import { step } from "./progress";
import type { Figure } from "./report";
import { insertRun, rollUp, seedLongRuns, seedRuns, seedSeries } from "./seed";
import { FULL, TARGETS } from "./sizes";
import { summarize } from "./stats";

// Read figures: one client, requests one after the other, after a warm-up. Each reports p50 and
// p95 of the whole request (sent to last byte read) and the size of the response body (decoded).

const count = (n: number) => n.toLocaleString("en-US");

type Measured = { result: LoadResult; first: Outcome & { body: string }; encoding: string | null };

async function measure(bench: Bench, phase: string, sizes: { requests: number; warmup: number }, url: string, init: RequestInit): Promise<Measured> {
  const probe = await fetch(url, init);
  const encoding = probe.headers.get("content-encoding");
  const body = await probe.text();
  const first = { ok: probe.ok, bytes: Buffer.byteLength(body), status: probe.status, body };
  if (!probe.ok) throw new Error(`${phase}: HTTP ${probe.status}: ${body.slice(0, 300)}`);
  const result = await drive({ phase, clients: 1, requests: sizes.requests, warmup: sizes.warmup, send: () => request(url, init) });
  if (result.failed) throw new Error(`${phase}: ${result.failed} of ${result.latencies.length} requests failed: ${result.firstError}`);
  return { result, first, encoding };
}

function latencyFigures(
  bench: Bench,
  f: {
    name: string;
    label: string;
    measured: Measured;
    params: Record<string, unknown>;
    target?: number;
    targetApplies?: boolean;
    /** Which percentile the target (and the goal against MLflow) is on: p95 unless said. */
    targetOn?: "p50" | "p95";
    /** The same requests to MLflow's server. */
    mlflow?: Measured;
    /** How many times faster than MLflow the goal is. */
    fasterThanMlflow?: number;
    warmup: number;
  },
): Figure[] {
  const latency = summarize(f.measured.result.latencies);
  const mlflow = f.mlflow && summarize(f.mlflow.result.latencies);
  const params = {
    ...f.params,
    clients: 1,
    requests: latency.n,
    warmup: f.warmup,
    payloadBytes: f.measured.first.bytes,
    contentEncoding: f.measured.encoding ?? "identity",
    ...(f.mlflow ? { mlflowPayloadBytes: f.mlflow.first.bytes, mlflowContentEncoding: f.mlflow.encoding ?? "identity" } : {}),
  };
  const goals = (percentile: "p50" | "p95"): Partial<Figure> =>
    percentile === (f.targetOn ?? "p95")
      ? { target: f.target === undefined ? undefined : { atMost: f.target }, targetApplies: f.targetApplies, fasterThanMlflow: f.fasterThanMlflow }
      : {};
  const figures: Figure[] = (["p50", "p95"] as const).map((p) => ({
    name: `${f.name}.latency_${p}`,
    label: `${f.label}: ${p}`,
    value: latency[p],
    unit: "ms",
    params,
    mlflow: mlflow?.[p],
    ...goals(p),
  }));
  bench.figures.push(...figures);
  return figures;
}

function payloadFigure(bench: Bench, name: string, label: string, measured: Measured, params: Record<string, unknown>, mlflow?: Measured) {
  bench.figures.push({
    name: `${name}.payload`,
    label: `${label}: payload`,
    value: measured.first.bytes,
    unit: "bytes",
    params: { ...params, contentEncoding: measured.encoding ?? "identity" },
    mlflow: mlflow?.first.bytes,
  });
}

/** Floors of a request: Next.js routing plus `select 1`, and an authenticated MLflow read. */
export async function baselineGroup(bench: Bench): Promise<void> {
  const project = await bench.project("bench-ingest");
  const health = await measure(bench, "baseline: GET /api/health", bench.sizes.baseline, `${bench.server.base}/api/health`, {});
  latencyFigures(bench, {
    name: "baseline.health",
    label: "GET /api/health (HTTP + select 1)",
    measured: health,
    params: {},
    warmup: bench.sizes.baseline.warmup,
  });
  const url = `${mlflowUrl(bench, project.slug, "experiments/get")}?experiment_id=0`;
  const get = await measure(bench, "baseline: GET experiments/get", bench.sizes.baseline, url, { headers: authorization(bench) });
  latencyFigures(bench, {
    name: "baseline.experiments_get",
    label: "GET experiments/get (HTTP + token + membership + 2 small queries)",
    measured: get,
    params: {},
    warmup: bench.sizes.baseline.warmup,
  });
}

/** The runs/search figures' project size that MLflow's server is measured at (loaded over its REST API). */
const MLFLOW_SEARCH_RUNS = 2_000;

/**
 * runs/search with a metric and a param filter, ordered by a metric, at each project size; with
 * `--mlflow`, at 2,000 runs the same request to MLflow's server over the same runs.
 */
export async function searchGroup(bench: Bench): Promise<void> {
  const { runs: sizes, params, metrics, maxResults } = bench.sizes.search;
  for (const [i, runs] of sizes.entries()) {
    const project = await bench.project(`bench-search-${runs}`);
    const seeded = Date.now();
    await once(bench, `runs:${project.slug}`, () =>
      step(`loading ${count(runs)} runs × ${params} params × ${metrics} metrics (SQL)`, () => seedRuns(bench.sql, project, { runs, params, metrics })),
    );
    const loadSeconds = Math.round((Date.now() - seeded) / 1000);
    const query = (api: TrackingApi) => ({
      experiment_ids: [api.experimentId],
      filter: "metrics.m1 > 0.5 and params.p1 = '3'",
      order_by: ["metrics.m2 DESC"],
      max_results: maxResults,
    });
    const search = (api: TrackingApi) =>
      measure(bench, `${api.name}: runs/search over ${count(runs)} runs`, bench.sizes.search, api.url("runs/search"), {
        method: "POST",
        headers: { ...api.headers, "content-type": "application/json" },
        body: JSON.stringify(query(api)),
      });
    const namesOf = (m: Measured) => ((JSON.parse(m.first.body) as { runs?: { info: { run_name: string } }[] }).runs ?? []).map((r) => r.info.run_name);
    const measured = await search(cairnApi(bench, project.slug));
    let mlflow: Measured | undefined;
    let mlflowParams: Record<string, unknown> = {};
    if (bench.mlflow && runs === MLFLOW_SEARCH_RUNS) {
      const api = await mlflowApi(bench, project.slug);
      const started = Date.now();
      await step(`copying the ${count(runs)} runs to MLflow (its REST API)`, () => copyRunsToMlflow(bench, project.id, api));
      const loaded = Date.now();
      mlflow = await search(api);
      // The same data and the same request must find the same runs in the same order.
      const same = JSON.stringify(namesOf(mlflow)) === JSON.stringify(namesOf(measured));
      mlflowParams = { mlflowLoadSeconds: Math.round((loaded - started) / 1000), mlflowRunsReturned: namesOf(mlflow).length, sameRunsAsMlflow: same };
    }
    const targetRuns = FULL.search.runs[i]!;
    latencyFigures(bench, {
      name: `search.runs_${runs}`,
      label: `runs/search, ${count(runs)} runs`,
      measured,
      params: {
        runs,
        paramsPerRun: params,
        metricsPerRun: metrics,
        ...query(cairnApi(bench, project.slug)),
        runsReturned: namesOf(measured).length,
        loadSeconds,
        ...mlflowParams,
      },
      target: TARGETS.searchP95[targetRuns],
      targetApplies: runs === targetRuns,
      mlflow,
      fasterThanMlflow: TARGETS.fasterThanMlflow.searchP95,
      warmup: bench.sizes.search.warmup,
    });
  }
}

/** One run with a metric of each size the history and chart figures read, loaded once. */
function seriesRun(bench: Bench): Promise<{ slug: string; runUuid: string; runId: string; keyOf: (points: number) => string }> {
  return once(bench, "series", async () => {
    const project = await bench.project("bench-series");
    const runUuid = await insertRun(bench.sql, project, "long-training");
    const sizes = [...new Set([bench.sizes.history.points, ...bench.sizes.chart.points])].sort((a, b) => a - b);
    const keyOf = (points: number) => `loss_${points}`;
    for (const points of sizes) {
      await step(`loading a series of ${count(points)} points (SQL)`, () => seedSeries(bench.sql, runUuid, keyOf(points), points));
    }
    await rollUp(bench.sql, [runUuid]);
    return { slug: project.slug, runUuid, runId: hexId(runUuid), keyOf };
  });
}

/**
 * metrics/get-history of a whole series, no paging (what `MlflowClient.get_metric_history` does);
 * with `--mlflow`, the same series copied to MLflow's server and read the same way.
 */
export async function historyGroup(bench: Bench): Promise<void> {
  const { slug, runUuid, runId, keyOf } = await seriesRun(bench);
  const points = bench.sizes.history.points;
  const key = keyOf(points);
  const history = async (api: TrackingApi, run: string) => {
    const url = `${api.url("metrics/get-history")}?run_id=${run}&metric_key=${key}`;
    const measured = await measure(bench, `${api.name}: get-history of ${count(points)} points`, bench.sizes.history, url, { headers: api.headers });
    const returned = (JSON.parse(measured.first.body) as { metrics?: unknown[] }).metrics?.length ?? 0;
    if (returned !== points) throw new Error(`${api.name} get-history returned ${returned} points, expected ${points}`);
    return measured;
  };
  const measured = await history(cairnApi(bench, slug), runId);
  let mlflow: Measured | undefined;
  if (bench.mlflow) {
    const api = await mlflowApi(bench, slug);
    const copied = await step(`copying the series of ${count(points)} points to MLflow (its REST API)`, () => copySeriesToMlflow(bench, runUuid, key, api));
    mlflow = await history(api, copied);
  }
  const params = { points, endpoint: "GET metrics/get-history", maxResults: "none (full history)" };
  const targetPoints = FULL.history.points;
  const label = `get-history, ${count(points)} points`;
  latencyFigures(bench, {
    name: `history.points_${points}`,
    label,
    measured,
    params,
    target: TARGETS.historyP50[targetPoints],
    targetApplies: points === targetPoints,
    targetOn: "p50",
    mlflow,
    fasterThanMlflow: TARGETS.fasterThanMlflow.historyP50,
    warmup: bench.sizes.history.warmup,
  });
  payloadFigure(bench, `history.points_${points}`, label, measured, params, mlflow);
}

/** chart.series over tRPC (what the run page's charts call), reduced to at most 1,000 buckets. */
export async function chartGroup(bench: Bench): Promise<void> {
  const { slug, runId, keyOf } = await seriesRun(bench);
  for (const [i, points] of bench.sizes.chart.points.entries()) {
    const input = { json: { projectSlug: slug, runIds: [runId], metricKey: keyOf(points), xAxis: "step", maxPoints: bench.sizes.chart.maxPoints } };
    const url = `${bench.server.base}/api/trpc/chart.series?input=${encodeURIComponent(JSON.stringify(input))}`;
    const sizes = { requests: bench.sizes.chart.requests[points]!, warmup: bench.sizes.chart.warmup };
    const measured = await measure(bench, `chart.series of ${count(points)} points`, sizes, url, { headers: authorization(bench) });
    const reply = JSON.parse(measured.first.body) as { result: { data: { json: { runs: { pointsInRange: number; exact: boolean }[] } } } };
    const series = reply.result.data.json.runs[0]!;
    if (series.pointsInRange !== points) throw new Error(`chart.series covered ${series.pointsInRange} points, expected ${points}`);
    const params = { points, procedure: "chart.series (tRPC GET)", xAxis: "step", maxPoints: bench.sizes.chart.maxPoints, exact: series.exact };
    const targetPoints = FULL.chart.points[i]!;
    latencyFigures(bench, {
      name: `chart.points_${points}`,
      label: `chart series, ${count(points)} points`,
      measured,
      params,
      target: TARGETS.chartP95[targetPoints],
      targetApplies: points === targetPoints,
      warmup: sizes.warmup,
    });
    payloadFigure(bench, `chart.points_${points}`, `chart series, ${count(points)} points`, measured, params);
  }
  await overlayFigure(bench);
}

/** chart.series of many runs in one request (the compare page's overlay), each run a metric of the same length. */
async function overlayFigure(bench: Bench): Promise<void> {
  const { runs, points, requests, warmup } = bench.sizes.chart.overlay;
  const key = "overlay_loss";
  const project = await bench.project(`bench-overlay-${runs}-${points}`);
  const runUuids = await once(bench, `overlay:${project.slug}`, () =>
    step(`loading ${count(runs)} runs × ${count(points)} points (SQL)`, () => seedLongRuns(bench.sql, project, { runs, steps: points, key })),
  );
  const maxPoints = bench.sizes.chart.maxPoints;
  const input = { json: { projectSlug: project.slug, runIds: runUuids.map(hexId), metricKey: key, xAxis: "step", maxPoints } };
  const url = `${bench.server.base}/api/trpc/chart.series?input=${encodeURIComponent(JSON.stringify(input))}`;
  const label = `chart series, ${count(runs)}-run overlay of ${count(points)} points each`;
  const measured = await measure(bench, label, { requests, warmup }, url, { headers: authorization(bench) });
  const reply = JSON.parse(measured.first.body) as { result: { data: { json: { runs: { pointsInRange: number }[] } } } };
  const covered = reply.result.data.json.runs.reduce((sum, r) => sum + r.pointsInRange, 0);
  if (covered !== runs * points) throw new Error(`chart.series overlay covered ${covered} points, expected ${runs * points}`);
  const params = { runs, pointsPerRun: points, procedure: "chart.series (tRPC GET)", xAxis: "step", maxPoints };
  const full = FULL.chart.overlay;
  latencyFigures(bench, {
    name: `chart.overlay_${runs}_runs_${points}`,
    label,
    measured,
    params,
    target: TARGETS.chartOverlayP95,
    targetApplies: runs === full.runs && points === full.points,
    warmup,
  });
  payloadFigure(bench, `chart.overlay_${runs}_runs_${points}`, label, measured, params);
}

/**
 * GET /p/<slug>/runs signed in through the browser form: the Server Component renders the table's
 * first window of rows into the streamed HTML. Measured to the last byte; time to first byte is a param.
 */
export async function pageGroup(bench: Bench): Promise<void> {
  const runs = bench.sizes.page.runs;
  const project = await bench.project("bench-table");
  const { params, metrics } = bench.sizes.search;
  await once(bench, `runs:${project.slug}`, () =>
    step(`loading ${count(runs)} runs × ${params} params × ${metrics} metrics (SQL)`, () => seedRuns(bench.sql, project, { runs, params, metrics })),
  );
  const cookie = await signInBench(bench.server.base);
  const url = `${bench.server.base}/p/${project.slug}/runs`;
  const firstBytes: number[] = [];
  let encoding: string | null = null;
  const send = async (): Promise<Outcome & { body: string }> => {
    const t0 = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
    firstBytes.push(performance.now() - t0);
    encoding = response.headers.get("content-encoding");
    const body = await response.text();
    const ok = response.status === 200 && body.includes("run-");
    return { ok, bytes: Buffer.byteLength(body), status: response.status, body, error: ok ? undefined : `HTTP ${response.status} without the runs table` };
  };
  const first = await send();
  if (!first.ok) throw new Error(`runs page: ${first.error}`);
  firstBytes.length = 0;
  const result = await drive({
    phase: `runs page with ${count(runs)} runs`,
    clients: 1,
    requests: bench.sizes.page.requests,
    warmup: bench.sizes.page.warmup,
    send,
  });
  if (result.failed) throw new Error(`runs page: ${result.failed} requests failed: ${result.firstError}`);
  const ttfb = summarize(firstBytes.slice(bench.sizes.page.warmup));
  latencyFigures(bench, {
    name: `runs_page.runs_${runs}`,
    label: `runs page (server render), ${count(runs)} runs`,
    measured: { result, first, encoding },
    params: {
      runs,
      path: "/p/<slug>/runs",
      session: "password sign-in cookie",
      timeToFirstByteP50: Number(ttfb.p50.toFixed(1)),
      timeToFirstByteP95: Number(ttfb.p95.toFixed(1)),
    },
    target: TARGETS.pageP95[FULL.page.runs],
    targetApplies: runs === FULL.page.runs,
    warmup: bench.sizes.page.warmup,
  });
}
