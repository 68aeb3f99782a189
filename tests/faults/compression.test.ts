import http from "node:http";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { mlflowClient } from "./support/http";

/**
 * The front server compresses (server/http/compression.js): MLflow REST and tRPC replies at zlib
 * level 1 (brotli quality 1 for a client that takes brotli), everything else at the defaults, each
 * only for a client that accepts it.
 */

const shared = inject("sharedServer");
const POINTS = 20_000;
let historyPath: string;
let chartPath: string;

/** A GET read raw, as sent on the wire: fetch would decode it. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, shared.base), { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  const client = mlflowClient(shared.base, shared.slug, shared.owner.token);
  const runId = (await client.ok("runs/create", { experiment_id: "0", start_time: Date.now() })).run.info.run_id;
  for (let from = 0; from < POINTS; from += 1000) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: "loss",
      value: 1 / (from + i + 1),
      timestamp: 1_700_000_000_000 + from + i,
      step: from + i,
    }));
    await client.ok("runs/log-batch", { run_id: runId, metrics });
  }
  historyPath = `/p/${shared.slug}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`;
  const chart = { json: { projectSlug: shared.slug, runIds: [runId], metricKey: "loss", xAxis: "step", maxPoints: 5000 } };
  chartPath = `/api/trpc/chart.series?input=${encodeURIComponent(JSON.stringify(chart))}`;
});

describe("compression", () => {
  const auth = () => ({ authorization: `Bearer ${shared.owner.token}` });

  /** The chart series asked with `accepted`, sent as `encoding`, decoded and checked whole. */
  async function chartReply(accepted: string, encoding: string, decode: (body: Buffer) => Buffer) {
    const reply = await rawGet(chartPath, { ...auth(), "accept-encoding": accepted });
    expect(reply.status).toBe(200);
    expect(reply.encoding).toBe(encoding);
    const json = decode(reply.body);
    const series = (JSON.parse(json.toString("utf8")) as { result: { data: { json: { runs: { pointsInRange: number }[] } } } }).result.data.json.runs;
    expect(series[0]!.pointsInRange).toBe(POINTS);
    return { reply, json };
  }

  it("gzips a metric history at level 1 for a client that accepts gzip, once", async () => {
    const reply = await rawGet(historyPath, { ...auth(), "accept-encoding": "gzip, deflate" });
    expect(reply.status).toBe(200);
    expect(reply.encoding).toBe("gzip");
    const json = gunzipSync(reply.body);
    expect((JSON.parse(json.toString("utf8")) as { metrics: unknown[] }).metrics).toHaveLength(POINTS);
    // zlib's output does not depend on how the input was split, so the sizes tell the levels apart.
    const fast = gzipSync(json, { level: constants.Z_BEST_SPEED }).length;
    const standard = gzipSync(json).length;
    expect(fast - standard).toBeGreaterThan(1000);
    expect(Math.abs(reply.body.length - fast)).toBeLessThan(16);
  });

  it("gzips a tRPC reply (a chart series) at level 1", async () => {
    const { reply, json } = await chartReply("gzip", "gzip", gunzipSync);
    const fast = gzipSync(json, { level: constants.Z_BEST_SPEED }).length;
    expect(fast - gzipSync(json).length).toBeGreaterThan(1000);
    expect(Math.abs(reply.body.length - fast)).toBeLessThan(16);
  });

  it("sends a browser's tRPC reply as brotli at its fastest quality", async () => {
    const { reply, json } = await chartReply("gzip, deflate, br, zstd", "br", brotliDecompressSync);
    // A streamed brotli encoder need not match the one-shot one byte for byte: nearest size wins.
    const size = (quality: number) => brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }).length;
    const [fastest, middling] = [size(1), size(4)];
    expect(Math.abs(fastest - middling)).toBeGreaterThan(500);
    expect(Math.abs(reply.body.length - fastest)).toBeLessThan(Math.abs(reply.body.length - middling));
  });

  it("sends the history plain to a client that does not accept gzip", async () => {
    const reply = await rawGet(historyPath, auth());
    expect(reply.encoding).toBeUndefined();
    expect((JSON.parse(reply.body.toString("utf8")) as { metrics: unknown[] }).metrics).toHaveLength(POINTS);
  });

  it("gzips pages, and assets at the default level", async () => {
    const page = await rawGet("/signin", { "accept-encoding": "gzip" });
    expect(page.status).toBe(200);
    expect(page.encoding).toBe("gzip");
    const html = gunzipSync(page.body).toString("utf8");
    expect(html).toContain("<html");
    // A page is streamed in flushed pieces, so its size says little; a script is sent whole.
    const script = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
    expect(script).toBeTruthy();
    const asset = await rawGet(script!, { "accept-encoding": "gzip" });
    expect(asset.encoding).toBe("gzip");
    const js = gunzipSync(asset.body);
    const standard = gzipSync(js).length;
    expect(gzipSync(js, { level: constants.Z_BEST_SPEED }).length - standard).toBeGreaterThan(100);
    expect(Math.abs(asset.body.length - standard)).toBeLessThan(16);
  });
});
