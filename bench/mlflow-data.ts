import { hexId, once, type Bench, type TrackingApi } from "./context";
import { request } from "./load";

// MLflow's side of the read figures gets the very data Cairn's seed wrote: the rows are read back
// from Cairn's database and logged to MLflow through its own REST API (runs/create, runs/log-batch,
// runs/update), as a client would, four requests at a time. MLflow's SQL schema is not written to.

/** A POST to MLflow's REST API; returns the parsed reply or throws with MLflow's error. */
async function post<T>(api: TrackingApi, endpoint: string, body: unknown): Promise<T> {
  const reply = await request(api.url(endpoint), {
    method: "POST",
    headers: { ...api.headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`MLflow ${endpoint}: ${reply.error}`);
  return JSON.parse(reply.body) as T;
}

/** Runs `work` on every item, `workers` at a time. */
async function inParallel<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** An experiment on MLflow's server named after the Cairn project whose data it mirrors, created once. */
export function mlflowApi(bench: Bench, name: string): Promise<TrackingApi> {
  const server = bench.mlflow!;
  return once(bench, `mlflow-experiment:${name}`, async () => {
    const api: TrackingApi = { name: "MLflow", url: (endpoint) => `${server.base}/api/2.0/mlflow/${endpoint}`, headers: {}, experimentId: "0" };
    const { experiment_id } = await post<{ experiment_id: string }>(api, "experiments/create", { name });
    return { ...api, experimentId: experiment_id };
  });
}

/** Creates a run in the API's experiment; returns its id. */
export async function createRun(api: TrackingApi, body: Record<string, unknown>): Promise<string> {
  const created = await post<{ run: { info: { run_id: string } } }>(api, "runs/create", { experiment_id: api.experimentId, ...body });
  return created.run.info.run_id;
}

type KeyValue = { key: string; value: string };
type SeededRun = {
  name: string;
  status: string;
  startTime: string;
  endTime: string | null;
  userName: string;
  params: KeyValue[];
  tags: KeyValue[];
  metrics: { key: string; value: number; step: number; timestamp: number }[];
};

/** Every run of a Cairn project, with its params, tags and metric points, logged to MLflow. */
export async function copyRunsToMlflow(bench: Bench, projectId: string, api: TrackingApi): Promise<number> {
  const runs = await bench.sql<SeededRun[]>`
    select r.name, r.status, r.start_time as "startTime", r.end_time as "endTime", r.user_name as "userName",
      coalesce((select json_agg(json_build_object('key', p.key, 'value', p.value)) from run_params p where p.run_id = r.id), '[]') as params,
      coalesce((select json_agg(json_build_object('key', t.key, 'value', t.value)) from run_tags t where t.run_id = r.id), '[]') as tags,
      coalesce((
        select json_agg(json_build_object('key', s.key, 'value', m.value, 'step', m.step, 'timestamp', m.timestamp))
        from metric_series s join metric_points m on m.series_id = s.id where s.run_id = r.id
      ), '[]') as metrics
    from runs r where r.project_id = ${projectId} order by r.start_time`;
  await inParallel(runs, 4, async (run) => {
    const runId = await createRun(api, { run_name: run.name, start_time: Number(run.startTime), user_id: run.userName, tags: run.tags });
    await post(api, "runs/log-batch", { run_id: runId, params: run.params, metrics: run.metrics });
    await post(api, "runs/update", { run_id: runId, status: run.status, ...(run.endTime ? { end_time: Number(run.endTime) } : {}) });
  });
  return runs.length;
}

/** One metric of a Cairn run, every point, logged to a new MLflow run in batches of 1,000 (MLflow's limit). */
export async function copySeriesToMlflow(bench: Bench, runUuid: string, key: string, api: TrackingApi): Promise<string> {
  const points = await bench.sql<{ step: string; timestamp: string; value: number }[]>`
    select m.step, m.timestamp, m.value
    from metric_series s join metric_points m on m.series_id = s.id
    where s.run_id = ${runUuid} and s.key = ${key} order by m.step`;
  const runId = await createRun(api, { run_name: `copy-of-${hexId(runUuid)}`, start_time: 1_700_000_000_000 });
  const batches = Array.from({ length: Math.ceil(points.length / 1000) }, (_, b) => points.slice(b * 1000, (b + 1) * 1000));
  await inParallel(batches, 4, async (batch) => {
    const metrics = batch.map((p) => ({ key, value: p.value, step: Number(p.step), timestamp: Number(p.timestamp) }));
    await post(api, "runs/log-batch", { run_id: runId, metrics });
  });
  return runId;
}
