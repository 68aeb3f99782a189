import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createOwner, freshBackend, launchCairn, onPostgres, sleep, type Backend, type CairnServer } from "./support/cairn";
import { metricHistory, mlflowClient, type MlflowClient } from "./support/http";

/**
 * The server is SIGKILLed (launcher and `next start` at once: a crash, an OOM kill) while several
 * clients ingest, then started again on the same data: the embedded PGlite folder, whose lock file
 * the dead process left behind, or the same PostgreSQL database (whichever this run tests; CI runs
 * the tier on both). Every batch answered 200 must be there, and every batch whole or not at all.
 */

const CLIENTS = 4;
const POINTS = 100;

type Outcome = { seq: number; status: number | "no answer" };

let backend: Backend | undefined;
let server: CairnServer | undefined;
afterAll(async () => {
  await server?.stop();
  await backend?.drop();
});

function batch(runId: string, seq: number) {
  return {
    run_id: runId,
    metrics: Array.from({ length: POINTS }, (_, i) => ({
      key: "loss",
      value: 1 / (seq * POINTS + i + 1),
      timestamp: 1_700_000_000_000 + seq,
      step: seq * POINTS + i,
    })),
    params: [{ key: `batch.${seq}`, value: String(seq) }],
    tags: [{ key: `tag.${seq}`, value: String(seq) }],
  };
}

/** Sends batches one after another until the server stops answering; records every outcome. */
async function ingest(client: MlflowClient, runId: string, outcomes: Outcome[]) {
  for (let seq = 0; ; seq++) {
    try {
      const reply = await client.post("runs/log-batch", batch(runId, seq));
      outcomes.push({ seq, status: reply.status });
      if (reply.status !== 200) return;
    } catch {
      outcomes.push({ seq, status: "no answer" });
      return;
    }
  }
}

describe(`SIGKILL during sustained ingest on ${onPostgres ? "PostgreSQL" : "the embedded PGlite"}`, () => {
  it("keeps every acknowledged batch, and every batch whole or absent, after a restart on the same data", async () => {
    backend = await freshBackend("crash");
    server = await launchCairn(backend, { name: "crash" });
    const account = await createOwner(server, "crash");
    let client = mlflowClient(server.base, "crash", account.token);
    const experimentId = (await client.ok("experiments/create", { name: "crash" })).experiment_id;
    const runIds: string[] = [];
    for (let c = 0; c < CLIENTS; c++) runIds.push((await client.ok("runs/create", { experiment_id: experimentId, run_name: `client-${c}` })).run.info.run_id);

    const outcomes: Outcome[][] = runIds.map(() => []);
    const streams = runIds.map((runId, c) => ingest(client, runId, outcomes[c]!));
    // Let the ingest run for a while, then crash in the middle of it.
    const deadline = Date.now() + 20_000;
    while (outcomes.flat().filter((o) => o.status === 200).length < 60 && Date.now() < deadline) await sleep(20);
    await sleep(150);
    await server.kill();
    await Promise.all(streams);

    const acknowledged = outcomes.flat().filter((o) => o.status === 200).length;
    expect(acknowledged).toBeGreaterThanOrEqual(60);
    expect(
      outcomes.flat().filter((o) => o.status !== 200 && o.status !== "no answer"),
      "no error answers before the crash",
    ).toEqual([]);

    if (backend.kind === "pglite") {
      // The dead launcher's lock is still there; the restart must take it over.
      const lock = path.join(backend.dataDir, "pglite.lock");
      expect(existsSync(lock)).toBe(true);
      expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(server.pid);
    }
    server = await launchCairn(backend, { name: "crash-restarted" });
    if (backend.kind === "pglite") expect(JSON.parse(readFileSync(path.join(backend.dataDir, "pglite.lock"), "utf8")).pid).toBe(server.pid);
    client = mlflowClient(server.base, "crash", account.token);

    for (const [c, runId] of runIds.entries()) {
      const history = await metricHistory(client, runId, "loss");
      const run = (await client.read("runs/get", { run_id: runId })).run;
      const params = new Set((run.data.params ?? []).map((p: { key: string }) => p.key));
      const tags = new Set((run.data.tags ?? []).map((t: { key: string }) => t.key));
      const pointsOf = new Map<number, number>();
      for (const p of history) pointsOf.set(Math.floor(p.step / POINTS), (pointsOf.get(Math.floor(p.step / POINTS)) ?? 0) + 1);
      const sent = outcomes[c]!;
      for (const { seq, status } of sent) {
        const stored = { points: pointsOf.get(seq) ?? 0, param: params.has(`batch.${seq}`), tag: tags.has(`tag.${seq}`) };
        const whole = { points: POINTS, param: true, tag: true };
        if (status === 200) expect(stored, `client ${c} batch ${seq} was acknowledged`).toEqual(whole);
        else expect([whole, { points: 0, param: false, tag: false }], `client ${c} batch ${seq} (no answer) is whole or absent`).toContainEqual(stored);
      }
      // Nothing that was never sent, and no copies.
      expect(Math.max(-1, ...pointsOf.keys())).toBeLessThanOrEqual(Math.max(...sent.map((o) => o.seq)));
      expect(history.length).toBe([...pointsOf.values()].reduce((a, b) => a + b, 0));
      expect(new Set(history.map((p) => p.step)).size).toBe(history.length);
      // The run's latest value agrees with the stored history.
      if (history.length) {
        const last = Math.max(...history.map((p) => p.step));
        expect(run.data.metrics.find((m: { key: string }) => m.key === "loss")).toMatchObject({ step: last, value: 1 / (last + 1) });
      }
    }

    // And the restarted server takes new data.
    expect((await client.post("runs/log-batch", batch(runIds[0]!, 100_000))).status).toBe(200);
  });
});
