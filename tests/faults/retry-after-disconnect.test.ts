import net from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sleep } from "./support/cairn";
import { metricHistory, mlflowClient, type MlflowClient } from "./support/http";

/**
 * A client that loses its connection while sending a log-batch (or before reading the reply) cannot
 * know whether the batch was stored, and sends it again. Whatever the server saw of the first
 * attempt, the run must end up with every point exactly once, and every param and tag.
 */

const shared = inject("sharedServer");
let client: MlflowClient;
let experimentId: string;

const POINTS = 900;

/** A batch at MLflow's limit of 1000 entities, about 300 kB with long param values. */
function batchFor(runId: string, key: string) {
  return {
    run_id: runId,
    metrics: Array.from({ length: POINTS }, (_, i) => ({ key, value: i / 7, timestamp: 1_700_000_000_000 + i, step: i })),
    params: Array.from({ length: 50 }, (_, i) => ({ key: `${key}.p${i}`, value: `${i}`.padEnd(6000, "x") })),
    tags: Array.from({ length: 50 }, (_, i) => ({ key: `${key}.t${i}`, value: `tag ${i}` })),
  };
}

/**
 * Sends a POST on a raw socket and closes the socket without reading a reply: after `cutAt` bytes
 * of the body, or after the whole request once it has left this process.
 */
function sendAndDrop(path: string, body: Buffer, options: { cutAt?: number } = {}): Promise<void> {
  const url = new URL(shared.base);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${url.host}`,
    `Authorization: Bearer ${shared.owner.token}`,
    "Content-Type: application/json",
    `Content-Length: ${body.length}`,
    "User-Agent: mlflow-python-client/3.17.2",
    "",
    "",
  ].join("\r\n");
  const sent = options.cutAt === undefined ? body : body.subarray(0, options.cutAt);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(Buffer.concat([Buffer.from(head), sent]), () => {
        socket.destroy();
        resolve();
      });
    });
    socket.once("error", reject);
  });
}

async function newRun(name: string): Promise<string> {
  return (await client.ok("runs/create", { experiment_id: experimentId, run_name: name, start_time: Date.now() })).run.info.run_id;
}

async function expectExactlyOnce(runId: string, key: string) {
  const history = await metricHistory(client, runId, key);
  const steps = history.map((p) => p.step).sort((a, b) => a - b);
  expect(steps).toEqual(Array.from({ length: POINTS }, (_, i) => i));
  const run = (await client.read("runs/get", { run_id: runId })).run;
  const params = (run.data.params ?? []).filter((p: { key: string }) => p.key.startsWith(`${key}.p`));
  const tags = (run.data.tags ?? []).filter((t: { key: string }) => t.key.startsWith(`${key}.t`));
  expect(params).toHaveLength(50);
  expect(params.every((p: { key: string; value: string }) => p.value === `${p.key.slice(key.length + 2)}`.padEnd(6000, "x"))).toBe(true);
  expect(tags).toHaveLength(50);
  // The latest value is the point with the highest step, whatever arrived twice.
  expect(run.data.metrics.find((m: { key: string }) => m.key === key)).toMatchObject({ step: POINTS - 1, value: (POINTS - 1) / 7 });
}

const batchPath = () => `/p/${shared.slug}/api/2.0/mlflow/runs/log-batch`;

beforeAll(async () => {
  client = mlflowClient(shared.base, shared.slug, shared.owner.token);
  experimentId = (await client.ok("experiments/create", { name: `retries-${Date.now()}` })).experiment_id;
});

describe("a log-batch retried after a dropped connection", () => {
  it("stores nothing of a body cut off midway, then everything once when the batch is sent again", async () => {
    const runId = await newRun("cut-midway");
    const batch = batchFor(runId, "cut");
    const body = Buffer.from(JSON.stringify(batch));
    expect(body.length).toBeGreaterThan(250_000);
    for (const fraction of [0.01, 0.5, 0.999]) await sendAndDrop(batchPath(), body, { cutAt: Math.floor(body.length * fraction) });
    await sleep(500);
    expect(await metricHistory(client, runId, "cut")).toEqual([]);
    const run = (await client.read("runs/get", { run_id: runId })).run;
    expect((run.data.params ?? []).length).toBe(0);

    expect((await client.post("runs/log-batch", batch)).status).toBe(200);
    await expectExactlyOnce(runId, "cut");
  });

  it("keeps one copy of each point when the first attempt was stored but its reply never read", async () => {
    const runId = await newRun("reply-lost");
    const batch = batchFor(runId, "lost");
    await sendAndDrop(batchPath(), Buffer.from(JSON.stringify(batch)));
    // Wait until the server has committed the abandoned attempt, so the retry is a pure duplicate.
    const deadline = Date.now() + 30_000;
    while ((await metricHistory(client, runId, "lost")).length < POINTS && Date.now() < deadline) await sleep(100);
    expect((await metricHistory(client, runId, "lost")).length).toBe(POINTS);

    const retried = await client.post("runs/log-batch", batch);
    expect({ status: retried.status, body: retried.text }).toEqual({ status: 200, body: "{}" });
    await expectExactlyOnce(runId, "lost");
  });

  it("keeps one copy of each point when the retry races the abandoned attempt", async () => {
    const runId = await newRun("racing-retry");
    const batch = batchFor(runId, "race");
    const body = Buffer.from(JSON.stringify(batch));
    // Several abandoned attempts and retries at once, as after a flapping connection.
    const results = await Promise.all([
      sendAndDrop(batchPath(), body),
      client.post("runs/log-batch", batch),
      sendAndDrop(batchPath(), body),
      client.post("runs/log-batch", batch),
      sendAndDrop(batchPath(), body, { cutAt: body.length - 1 }),
    ]);
    for (const r of results) if (r) expect(r.status).toBe(200);
    await expectExactlyOnce(runId, "race");
    // Abandoned attempts may still be running: nothing they do later may add a copy.
    await sleep(1000);
    await expectExactlyOnce(runId, "race");
  });
});
