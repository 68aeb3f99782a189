/**
 * A run shaped like the wide run: `layer{i}/unit{j}/grad_norm` for 100 × 100 keys, five
 * steps each, logged with log-batch as the MLflow client sends it (1,000 metrics a request), plus
 * `loss` (a curve) and `training_score` (one value). Shared by the browser journey and the bench.
 */
export const WIDE_RUN = { layers: 100, units: 100, steps: 5, keys: 100 * 100, batch: 1_000 };

async function call(trackingUri: string, token: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${trackingUri}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Logs the wide run into the project at `trackingUri`; returns its run id. */
export async function logWideRun(trackingUri: string, token: string, shape = WIDE_RUN): Promise<string> {
  const { run } = await call(trackingUri, token, "runs/create", { experiment_id: "0", run_name: "wide-run", start_time: Date.now() });
  const runId: string = run.info.run_id;
  const timestamp = Date.now();
  const points: { key: string; value: number; timestamp: number; step: number }[] = [];
  for (let step = 0; step < shape.steps; step++) {
    points.push({ key: "loss", value: 1 / (step + 1), timestamp, step });
    for (let i = 0; i < shape.layers; i++) {
      for (let j = 0; j < shape.units; j++)
        points.push({ key: `layer${i}/unit${j}/grad_norm`, value: Math.abs(Math.sin(i * 31 + j * 7 + step)), timestamp, step });
    }
  }
  points.push({ key: "training_score", value: 0.973, timestamp, step: 0 });
  for (let at = 0; at < points.length; at += shape.batch) {
    await call(trackingUri, token, "runs/log-batch", { run_id: runId, metrics: points.slice(at, at + shape.batch) });
  }
  await call(trackingUri, token, "runs/update", { run_id: runId, status: "FINISHED", end_time: Date.now() });
  return runId;
}
