import { Progress } from "./progress";

/** What one request reports back to the load generator. */
export type Outcome = { ok: boolean; bytes: number; status: number; error?: string };

export type LoadResult = {
  /** Latency of every measured request (ms), successful or not. */
  latencies: number[];
  /** From the first measured request sent to the last answer received (ms). */
  wallMs: number;
  ok: number;
  failed: number;
  bytes: number;
  /** The first failure, to show why. */
  firstError?: string;
};

/**
 * A closed-loop load: `clients` workers each send a request, wait for its answer and send the next,
 * `requests / clients` measured requests each (rounded up). Every worker first sends `warmup`
 * requests that are not measured. `send(client, i)` performs request i of a client, numbered from 0
 * with the warm-up included, so callers can prepare exactly `warmup + perClient(…)` requests.
 */
export async function drive(options: {
  phase: string;
  clients: number;
  requests: number;
  warmup: number;
  send: (client: number, i: number) => Promise<Outcome>;
}): Promise<LoadResult> {
  const { clients, warmup, send } = options;
  const each = perClient(options.requests, clients);
  const workers = Array.from({ length: clients }, (_, c) => c);
  for (let w = 0; w < warmup; w++) {
    const outcomes = await Promise.all(workers.map((c) => send(c, w).catch((error: unknown) => ({ ok: false, error: String(error) }) as Outcome)));
    const failed = outcomes.find((o) => !o.ok);
    if (failed) throw new Error(`${options.phase}: warm-up request failed: ${failed.error ?? `HTTP ${failed.status}`}`);
  }

  const progress = new Progress(options.phase, each * clients);
  const result: LoadResult = { latencies: [], wallMs: 0, ok: 0, failed: 0, bytes: 0 };
  const started = performance.now();
  await Promise.all(
    workers.map(async (c) => {
      for (let i = warmup; i < warmup + each; i++) {
        const t0 = performance.now();
        let outcome: Outcome;
        try {
          outcome = await send(c, i);
        } catch (error) {
          outcome = { ok: false, bytes: 0, status: 0, error: error instanceof Error ? error.message : String(error) };
        }
        result.latencies.push(performance.now() - t0);
        if (outcome.ok) {
          result.ok++;
          result.bytes += outcome.bytes;
        } else {
          result.failed++;
          result.firstError ??= outcome.error ?? `HTTP ${outcome.status}`;
        }
        progress.tick();
      }
    }),
  );
  result.wallMs = performance.now() - started;
  progress.finish(result.failed ? `${result.failed} failed: ${result.firstError}` : "");
  return result;
}

/** Measured requests per client for `requests` in all. */
export function perClient(requests: number, clients: number): number {
  return Math.ceil(requests / clients);
}

/** Sends a request and reads the whole body; a non-2xx answer is a failure carrying the body's start. */
export async function request(url: string, init: RequestInit): Promise<Outcome & { body: string }> {
  const response = await fetch(url, init);
  const body = await response.text();
  const bytes = Buffer.byteLength(body);
  if (!response.ok) return { ok: false, bytes, status: response.status, error: `HTTP ${response.status}: ${body.slice(0, 300)}`, body };
  return { ok: true, bytes, status: response.status, body };
}
