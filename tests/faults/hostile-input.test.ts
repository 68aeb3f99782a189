import http from "node:http";
import net from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sleep, treeRss, withSql } from "./support/cairn";
import { mlflowClient, type MlflowClient } from "./support/http";

/**
 * Bad input sent to the real server, where the in-process tests (tests/integration/mlflow-wire)
 * cannot reach: bodies far past the limit, on the wire, while memory is watched; values far past
 * MLflow's limits; injection attempts in every search filter; traversal and broken escapes in
 * raw URLs, before Next.js's router has normalised them; and bodies that never finish.
 */

const shared = inject("sharedServer");
const url = new URL(shared.base);
let client: MlflowClient;
let experimentId: string;
let runId: string;
let artifactDir: string;

const MB = 1024 * 1024;

/** Resident memory of the whole server (launcher and `next start`). */
const serverRss = () => treeRss(shared.pid);

type RawAnswer = { status: number; body: string; ms: number; sentBytes: number };

/**
 * POSTs `total` bytes (a JSON prefix, then filler) in 1 MB chunks, declared with Content-Length or
 * chunked, and stops sending as soon as the server answers. Samples the server's memory meanwhile.
 */
function flood(path: string, total: number, declared: boolean): Promise<RawAnswer & { peakRss: number }> {
  const prefix = Buffer.from(`{"run_id":"${runId}","params":[{"key":"flood","value":"`);
  const chunk = Buffer.alloc(MB, "x");
  const started = performance.now();
  let peakRss = serverRss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, serverRss())), 50);
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path,
      method: "POST",
      headers: {
        authorization: `Bearer ${shared.owner.token}`,
        "content-type": "application/json",
        ...(declared ? { "content-length": String(total) } : { "transfer-encoding": "chunked" }),
      },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (d) => (body += d));
      response.on("end", () => {
        clearInterval(sampler);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started, sentBytes, peakRss });
      });
    });
    request.on("error", (error) => {
      // The server may close the connection once it has answered; the answer is what counts.
      if (!answered) {
        clearInterval(sampler);
        reject(error);
      }
    });
    const pump = () => {
      while (!answered && sentBytes < total) {
        const piece = sentBytes === 0 ? prefix : chunk.subarray(0, Math.min(MB, total - sentBytes));
        sentBytes += piece.length;
        if (!request.write(piece)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

/** A request written byte for byte on a socket, so that the path reaches the server exactly as written. */
function raw(method: string, path: string, body = ""): Promise<{ status: number; type: string; location: string; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (d) => (data += d));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      const header = (name: string) => new RegExp(`^${name}: ([^\r\n]+)`, "im").exec(head)?.[1] ?? "";
      resolve({ status, type: header("content-type"), location: header("location"), text: rest.join("\r\n\r\n") });
    });
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${shared.owner.token}\r\nConnection: close\r\n` +
        (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : "") +
        `\r\n${body}`,
    );
  });
}

async function runData() {
  return (await client.read("runs/get", { run_id: runId })).run.data;
}

beforeAll(async () => {
  client = mlflowClient(shared.base, shared.slug, shared.owner.token);
  experimentId = (await client.ok("experiments/create", { name: `hostile-${Date.now()}` })).experiment_id;
  const run = (await client.ok("runs/create", { experiment_id: experimentId, run_name: "target" })).run;
  runId = run.info.run_id;
  artifactDir = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
  await client.ok("runs/log-batch", { run_id: runId, params: [{ key: "x", value: "1" }], metrics: [{ key: "acc", value: 0.5, timestamp: 1, step: 0 }] });
  expect((await client.putArtifact(`${artifactDir}/inside.txt`, "inside")).status).toBe(200);
});

describe("oversized bodies", () => {
  it.each([
    ["declared with Content-Length", true],
    ["streamed without a length", false],
  ])("refuses a 100 MB log-batch %s quickly, without reading it into memory", async (_label, declared) => {
    const before = serverRss();
    const answer = await flood(`/p/${shared.slug}/api/2.0/mlflow/runs/log-batch`, 100 * MB, declared);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/exceeds 16 MiB/) });
    // Refused at the declared length, or once 16 MiB have arrived: long before 100 MB are sent.
    expect(answer.sentBytes).toBeLessThan(60 * MB);
    expect(answer.ms).toBeLessThan(15_000);
    expect(answer.peakRss - before, `server memory grew by ${Math.round((answer.peakRss - before) / MB)} MB`).toBeLessThan(150 * MB);
    expect((await runData()).params).toEqual([{ key: "x", value: "1" }]);
  });

  it("still serves other requests while a huge body is being refused", async () => {
    const flooding = flood(`/p/${shared.slug}/api/2.0/mlflow/runs/log-batch`, 100 * MB, false);
    const started = performance.now();
    expect((await client.get("runs/get", { run_id: runId })).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await flooding).status).toBe(400);
  });
});

describe("values far beyond MLflow's limits", () => {
  it.each([
    ["a 10 MB param value", "runs/log-parameter", () => ({ run_id: runId, key: "huge", value: "v".repeat(10 * MB) }), /6000/],
    ["a param value one past the limit", "runs/log-parameter", () => ({ run_id: runId, key: "huge", value: "v".repeat(6001) }), /6000/],
    ["a 1 MB param key", "runs/log-parameter", () => ({ run_id: runId, key: "k".repeat(MB), value: "1" }), /250/],
    [
      "a batch of 100 params of 100 kB each",
      "runs/log-batch",
      () => ({ run_id: runId, params: Array.from({ length: 100 }, (_, i) => ({ key: `big${i}`, value: "v".repeat(100_000) })) }),
      /6000/,
    ],
    ["a 10 MB run tag", "runs/set-tag", () => ({ run_id: runId, key: "huge", value: "t".repeat(10 * MB) }), /8000/],
    ["a 10 MB experiment tag", "experiments/set-experiment-tag", () => ({ experiment_id: experimentId, key: "huge", value: "t".repeat(10 * MB) }), /5000/],
    ["a 10 MB experiment name", "experiments/create", () => ({ name: "n".repeat(10 * MB) }), /500/],
    ["a 10 MB metric key", "runs/log-metric", () => ({ run_id: runId, key: "m".repeat(10 * MB), value: 1, timestamp: 1 }), /250/],
    ["a 10 MB search filter", "runs/search", () => ({ experiment_ids: [experimentId], filter: `params.x = '${"1".repeat(10 * MB)}'` }), /./],
  ])("refuses %s with 400 and stores nothing", async (_label, path, body, message) => {
    const before = await runData();
    const reply = await client.post(path, body());
    expect({ status: reply.status, code: reply.json?.error_code }).toEqual({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    expect(reply.json.message).toMatch(message);
    expect(reply.text.length).toBeLessThan(20_000);
    expect(reply.text, "the error does not echo the value back").not.toMatch(/(.)\1{199}/);
    expect(await runData()).toEqual(before);
  });
});

describe("injection attempts in search filters", () => {
  const tables = [
    "runs",
    "experiments",
    "run_params",
    "metric_points",
    "metric_series",
    "registered_models",
    "model_versions",
    "users",
    "access_tokens",
    "projects",
  ];

  const filters = [
    "params.x = '1'' or 1=1 --'",
    "params.x = '1' or 1=1 --",
    "params.x = '1'; drop table runs; --'",
    "params.`x; drop table runs` = '1'",
    "metrics.`x; drop table runs` > 0",
    "metrics.`acc` > 0 or 1=1",
    "tags.`a' or 'a'='a` = 'b'",
    "attributes.run_name = '' union select * from users --'",
    "attributes.status in ('FINISHED'); delete from runs; --')",
    "attributes.run_id in ('x'') or true or (''x')",
    "params.x LIKE '%' or 1=1",
    'params.x = "1" or ""=""',
    "params.x = '\\'; drop table runs; --'",
    "params.x = '1\u0000' or 1=1",
    "metrics.acc > 0 and (1=1)",
    "metrics.acc > 1e308 * 10",
    "metrics.acc > (select 1)",
  ];

  it.each(filters)("answers runs/search %j with 400 or with only the runs it truly matches", async (filter) => {
    const reply = await client.post("runs/search", { experiment_ids: [experimentId], filter });
    expect(reply.status, reply.text).not.toBeGreaterThanOrEqual(500);
    if (reply.status === 200) {
      // A literal containing SQL matches no run here: nothing may leak through.
      for (const run of reply.json.runs ?? []) {
        const params = Object.fromEntries((run.data.params ?? []).map((p: { key: string; value: string }) => [p.key, p.value]));
        expect({ filter, run: run.info.run_name, params }).toEqual({ filter, run: "target", params: { x: "1" } });
        expect(filter).toMatch(/^metrics\.acc > 0 and \(1=1\)$|^metrics\.`acc` > 0 or 1=1$/);
      }
    } else {
      expect({ status: reply.status, code: reply.json?.error_code }).toEqual({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    }
  });

  it.each([
    ["experiments/search", { filter: "name = 'x'' or 1=1 --'" }],
    ["experiments/search", { filter: "tags.`x'; drop table experiments; --` = 'y'" }],
    ["experiments/search", { order_by: ["name; drop table experiments"] }],
    ["runs/search", { experiment_ids: ["1 or 1=1"], order_by: ["metrics.`acc; drop table runs` DESC"] }],
    ["runs/search", { experiment_ids: ["0); drop table runs; --"] }],
    ["registered-models/search", { filter: "name = 'x'' or 1=1 --'" }],
    ["registered-models/search", { filter: "name LIKE '%'; drop table registered_models; --'" }],
    ["model-versions/search", { filter: "name = 'x' or 1=1" }],
    ["model-versions/search", { filter: "run_id = 'x'' or ''1''=''1'" }],
    ["logged-models/search", { experiment_ids: ["0"], filter: "name = 'x'' or 1=1 --'" }],
    ["logged-models/search", { experiment_ids: ["0"], order_by: [{ field_name: "name; drop table logged_models", ascending: true }] }],
  ])("answers %s %j with 400 or an empty result", async (path, body) => {
    const reply = await client.post(path, body);
    expect(reply.status, reply.text).not.toBeGreaterThanOrEqual(500);
    if (reply.status === 200) {
      const results = Object.values(reply.json).find(Array.isArray) ?? [];
      expect(results).toEqual([]);
    } else {
      expect({ status: reply.status, code: reply.json?.error_code }).toEqual({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    }
  });

  it("keeps a name full of SQL verbatim, and finds it only by its exact value", async () => {
    const name = `x'); drop table experiments; -- ${Date.now()}`;
    const created = await client.ok("experiments/create", { name });
    expect((await client.read("experiments/get-by-name", { experiment_name: name })).experiment).toMatchObject({ experiment_id: created.experiment_id, name });
    const found = await client.ok("experiments/search", { filter: `name = '${name.replaceAll("'", "''")}'` });
    expect(found.experiments.map((e: { name: string }) => e.name)).toEqual([name]);
  });

  it("leaves every table in place and the data intact", async () => {
    await withSql(shared.databaseUrl, async (sql) => {
      for (const table of tables) expect((await sql`select to_regclass(${table}) as t`)[0]!.t, table).toBe(table);
    });
    const runs = (await client.ok("runs/search", { experiment_ids: [experimentId], filter: "params.x = '1'" })).runs;
    expect(runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
  });
});

describe("raw URLs", () => {
  const traversals = [
    "../../../../../etc/passwd",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%252e%252e/%252e%252e/etc/passwd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "ARTIFACTS/../../../other-project/file",
    "ARTIFACTS/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "ARTIFACTS/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "ARTIFACTS/%00inside.txt",
    "ARTIFACTS/inside.txt%00.png",
  ];

  it.each(traversals)("refuses the artifact path %s with a 4xx, for GET, PUT and DELETE", async (raw_) => {
    const path = raw_.replace("ARTIFACTS", artifactDir);
    const proxy = `/p/${shared.slug}/api/2.0/mlflow-artifacts/artifacts/`;
    for (const method of ["GET", "PUT", "DELETE"]) {
      const answer = await raw(method, `${proxy}${path}`, method === "PUT" ? "{}" : "");
      // Next.js answers an empty segment ("artifacts//etc") with a redirect to the normalised path,
      // which stays inside the proxy; anything else must be refused.
      const staysInside = answer.status === 308 && answer.location.startsWith(proxy) && !answer.location.includes("..");
      expect({ method, refused: (answer.status >= 400 && answer.status < 500) || staysInside }, `${answer.status} ${answer.text.slice(0, 200)}`).toEqual({
        method,
        refused: true,
      });
      expect(answer.text).not.toContain("root:");
    }
    // The run's own file is untouched.
    expect((await client.getArtifact(`${artifactDir}/inside.txt`)).bytes.toString()).toBe("inside");
  });

  // Not here: a malformed escape in a *path segment* (`/logged-models/%FF%FE`). Next.js 16 fails to
  // decode it before any Cairn code runs and answers 500 (its DecodeError → 400 mapping misses
  // route handlers); a proxy could catch it, but a proxy makes Next buffer and cap request bodies.
  it.each([
    ["invalid UTF-8 in a query value", `/p/faults/api/2.0/mlflow/experiments/get-by-name?experiment_name=%FF%FE`],
    ["a broken escape in a query value", `/p/faults/api/2.0/mlflow/runs/get?run_id=%E0%A4%A`],
    ["a NUL in a query value", `/p/faults/api/2.0/mlflow/experiments/get-by-name?experiment_name=a%00b`],
    ["a NUL in a path segment", `/p/faults/api/2.0/mlflow/logged-models/m-%00`],
  ])("answers %s with a 4xx, never a 5xx", async (_label, path) => {
    const answer = await raw("GET", path.replace("/p/faults/", `/p/${shared.slug}/`));
    expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
  });

  it("answers malformed JSON on the wire as in-process: 400 with MLflow's error shape", async () => {
    const bad = [
      Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]).toString("latin1"),
      `{"name":"x","tags":${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
      `{"name":"x","tags":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`,
    ];
    for (const body of bad) {
      const reply = await fetch(`${shared.base}/p/${shared.slug}/api/2.0/mlflow/experiments/create`, {
        method: "POST",
        headers: { authorization: `Bearer ${shared.owner.token}`, "content-type": "application/json" },
        body: Buffer.from(body, "latin1"),
      });
      expect(reply.status).toBe(400);
      expect((await reply.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });
});

describe("bodies that never finish", () => {
  it("keeps serving everyone else while many clients trickle bodies and headers that never end", async () => {
    const slow: net.Socket[] = [];
    const open = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text, () => resolve()));
        socket.on("error", () => {});
        socket.once("error", reject);
        slow.push(socket);
      });
    const path = `/p/${shared.slug}/api/2.0/mlflow/runs/log-batch`;
    // More stalled writes than the server has database connections (10).
    for (let i = 0; i < 16; i++) {
      await open(
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${shared.owner.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"run_id":"${runId}","params":[{"key":"slow${i}","value":"`,
      );
    }
    for (let i = 0; i < 8; i++) await open(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${shared.owner.token}\r\nX-Slow: `);
    const trickle = setInterval(() => {
      for (const s of slow) if (!s.destroyed) s.write("x");
    }, 200);
    try {
      await sleep(500);
      const started = performance.now();
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2
            ? client.get("runs/get", { run_id: runId })
            : client.post("runs/log-batch", { run_id: runId, metrics: [{ key: "during-slowloris", value: i, timestamp: i, step: i }] }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
      for (const s of slow) s.destroy();
    }
    await sleep(300);
    // The abandoned bodies stored nothing.
    expect((await runData()).params.filter((p: { key: string }) => p.key.startsWith("slow"))).toEqual([]);
  });
});
