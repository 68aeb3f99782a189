import { artifactsDir, failureOf, mlflow, mlflowError, scratchDir, type MlflowClient } from "../support/mlflow-client";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addMember, makeProject, makeUser, tokenActorOf } from "../support/factories";

/**
 * The artifact proxy (`/api/2.0/mlflow-artifacts/`) as `log_artifact`, `download_artifacts` and
 * `load_model` use it, on the local store under a scratch folder that the tests inspect.
 */

let client: MlflowClient;
let projectId: string;
let slug: string;
let experimentId: string;
let runId: string;
let root: string;
let other: { client: MlflowClient; projectId: string; experimentId: string; runId: string; file: string };

async function ok(reply: Promise<{ status: number; text: string; json: any }>) {
  const r = await reply;
  expect(r.status, r.text).toBe(200);
  return r.json;
}

async function newRun(c: MlflowClient, experiment: string): Promise<string> {
  return (await ok(c.post("runs/create", { experiment_id: experiment, start_time: Date.now() }))).run.info.run_id;
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

const MiB = 1024 * 1024;

/** A body of `size` pseudo-random bytes sent in 256 KiB chunks, hashed as it is read; `pauseAfter` holds it until released. */
function streamedBody(size: number, options: { pauseAfter?: number } = {}) {
  const sent = createHash("sha256");
  let offset = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= size) return controller.close();
      if (options.pauseAfter !== undefined && offset >= options.pauseAfter) await released;
      const chunk = randomBytes(Math.min(256 * 1024, size - offset));
      sent.update(chunk);
      offset += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, release, digest: () => sent.digest("hex") };
}

beforeAll(async () => {
  const owner = await makeUser();
  const project = await makeProject(owner);
  projectId = project.id;
  slug = project.slug;
  client = mlflow(project.slug, (await tokenActorOf(owner)).secret);
  experimentId = (await ok(client.post("experiments/create", { name: "artifacts" }))).experiment_id;
  runId = await newRun(client, experimentId);
  root = `${experimentId}/${runId}/artifacts`;

  // A second project with the same experiment numbering and a file of its own.
  const otherOwner = await makeUser();
  const otherProject = await makeProject(otherOwner);
  const otherClient = mlflow(otherProject.slug, (await tokenActorOf(otherOwner)).secret);
  const otherExperiment = (await ok(otherClient.post("experiments/create", { name: "artifacts" }))).experiment_id;
  const otherRun = await newRun(otherClient, otherExperiment);
  const file = `${otherExperiment}/${otherRun}/artifacts/secret.txt`;
  await ok(otherClient.putArtifact(file, "the other project's secret", "text/plain"));
  other = { client: otherClient, projectId: otherProject.id, experimentId: otherExperiment, runId: otherRun, file };
});

describe("upload and download", () => {
  it("stores a PUT under the project's prefix and gives back identical bytes with file headers", async () => {
    const body = randomBytes(10_000);
    const put = await client.putArtifact(`${root}/data/blob.bin`, body);
    expect({ status: put.status, json: put.json }).toEqual({ status: 200, json: {} });
    const stored = await readFile(path.join(artifactsDir, "projects", projectId, experimentId, runId, "artifacts", "data", "blob.bin"));
    expect(stored.equals(body)).toBe(true);

    const got = await client.getArtifact(`${root}/data/blob.bin`);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(body)).toBe(true);
    expect(got.response.headers.get("content-length")).toBe("10000");
    expect(got.response.headers.get("content-disposition")).toMatch(/^attachment;.*blob\.bin/);
    expect(got.response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("overwrites a file on a second PUT", async () => {
    await ok(client.putArtifact(`${root}/again.txt`, "first", "text/plain"));
    await ok(client.putArtifact(`${root}/again.txt`, "second", "text/plain"));
    expect((await client.getArtifact(`${root}/again.txt`)).bytes.toString()).toBe("second");
  });

  it.each([
    ["notes.txt", "text/plain"],
    ["plot.png", "image/png"],
  ])("serves %s with its content type (%s)", async (file, contentType) => {
    await ok(client.putArtifact(`${root}/typed/${file}`, "content", contentType));
    const got = await client.getArtifact(`${root}/typed/${file}`);
    expect(got.status).toBe(200);
    expect(got.response.headers.get("content-type")).toMatch(new RegExp(`^${contentType}`));
  });

  it("round-trips a 20 MB streamed upload byte for byte", async () => {
    const size = 20 * MiB;
    const body = streamedBody(size);
    const put = await client.putArtifact(`${root}/model/model.bin`, body.stream);
    expect(put.status, put.text).toBe(200);
    const got = await client.getArtifact(`${root}/model/model.bin`);
    expect(got.status).toBe(200);
    expect(got.bytes.length).toBe(size);
    expect(got.response.headers.get("content-length")).toBe(String(size));
    expect(createHash("sha256").update(got.bytes).digest("hex")).toBe(body.digest());
  });

  it("writes an upload to the store while it is still arriving, not after buffering it whole", async () => {
    // MLflow's server copies the request stream to disk in 1 MB chunks; a model file can be gigabytes.
    const body = streamedBody(12 * MiB, { pauseAfter: 8 * MiB });
    const runDir = path.join(artifactsDir, "projects", projectId, experimentId, runId, "artifacts", "streaming");
    const upload = client.putArtifact(`${root}/streaming/weights.bin`, body.stream);
    let onDisk = 0;
    for (let waited = 0; waited < 5000 && onDisk < 4 * MiB; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sizes = await Promise.all((await readdir(runDir).catch(() => [] as string[])).map(async (f) => (await stat(path.join(runDir, f))).size));
      onDisk = sizes.reduce((a, b) => a + b, 0);
    }
    body.release();
    expect((await upload).status).toBe(200);
    expect(onDisk, "bytes written while the request body was still open").toBeGreaterThanOrEqual(4 * MiB);
  });

  it("takes many concurrent uploads into one new directory, as log_artifacts sends them", async () => {
    const files = Array.from({ length: 16 }, (_, i) => `parallel/sub${i % 3}/file-${i}.txt`);
    const replies = await Promise.all(files.map((file, i) => client.putArtifact(`${root}/${file}`, `content ${i}`, "text/plain")));
    expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (const [i, file] of files.entries()) expect((await client.getArtifact(`${root}/${file}`)).bytes.toString()).toBe(`content ${i}`);
    expect((await ok(client.listArtifacts(`${root}/parallel`))).files.map((f: { path: string }) => f.path)).toEqual(["sub0", "sub1", "sub2"]);
  });

  it("answers a missing file or a directory path with 404 JSON, and refuses a PUT to a deleted run", async () => {
    expect(failureOf(await client.getArtifact(`${root}/nope.txt`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    await ok(client.putArtifact(`${root}/folder/inside.txt`, "x", "text/plain"));
    expect(failureOf(await client.getArtifact(`${root}/folder`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));

    const doomed = await newRun(client, experimentId);
    await ok(client.post("runs/delete", { run_id: doomed }));
    expect(failureOf(await client.putArtifact(`${experimentId}/${doomed}/artifacts/late.txt`, "x", "text/plain"))).toEqual(
      mlflowError(400, "INVALID_PARAMETER_VALUE"),
    );
  });

  it("stores MLflow 3 logged-model files under <experiment>/models/<id>/artifacts", async () => {
    const { model } = await ok(client.post("logged-models", { experiment_id: experimentId, name: "model", source_run_id: runId }));
    const prefix = model.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    expect(prefix).toBe(`${experimentId}/models/${model.info.model_id}/artifacts`);
    await ok(client.putArtifact(`${prefix}/MLmodel`, "flavors: {}", "text/plain"));
    await ok(client.putArtifact(`${prefix}/model.pkl`, "pickle"));
    expect((await client.getArtifact(`${prefix}/MLmodel`)).bytes.toString()).toBe("flavors: {}");
    expect((await ok(client.listArtifacts(prefix))).files).toEqual([
      { path: "MLmodel", is_dir: false, file_size: 11 },
      { path: "model.pkl", is_dir: false, file_size: 6 },
    ]);
    expect(failureOf(await client.putArtifact(`${experimentId}/models/m-00000000000000000000000000000000/artifacts/x`, "x"))).toEqual(
      mlflowError(404, "RESOURCE_DOES_NOT_EXIST"),
    );
  });
});

describe("listing and deleting", () => {
  let dirRoot: string;
  beforeAll(async () => {
    const run = await newRun(client, experimentId);
    dirRoot = `${experimentId}/${run}/artifacts`;
  });

  it("lists basenames with sizes, directory by directory", async () => {
    expect((await client.listArtifacts(dirRoot)).text).toBe("{}");
    for (const [file, body] of [
      ["MLmodel", "flavors: {}"],
      ["model/conda.yaml", "name: x"],
      ["model/data/weights.bin", "0123456789"],
      ["plot.png", "png"],
    ]) {
      await ok(client.putArtifact(`${dirRoot}/${file}`, body!));
    }
    expect(await ok(client.listArtifacts(dirRoot))).toEqual({
      files: [
        { path: "MLmodel", is_dir: false, file_size: 11 },
        { path: "model", is_dir: true },
        { path: "plot.png", is_dir: false, file_size: 3 },
      ],
    });
    expect(await ok(client.listArtifacts(`${dirRoot}/model`))).toEqual({
      files: [
        { path: "conda.yaml", is_dir: false, file_size: 7 },
        { path: "data", is_dir: true },
      ],
    });
    expect(await ok(client.listArtifacts(`${dirRoot}/model/data/`))).toEqual({ files: [{ path: "weights.bin", is_dir: false, file_size: 10 }] });
  });

  it("answers exactly {} for a missing directory and for a file path", async () => {
    await ok(client.putArtifact(`${dirRoot}/single.txt`, "x", "text/plain"));
    for (const dir of [`${dirRoot}/does/not/exist`, `${dirRoot}/single.txt`]) {
      const reply = await client.listArtifacts(dir);
      expect({ status: reply.status, text: reply.text }, dir).toEqual({ status: 200, text: "{}" });
    }
  });

  it("deletes a file, then a whole directory", async () => {
    await ok(client.putArtifact(`${dirRoot}/gone/a.txt`, "a", "text/plain"));
    await ok(client.putArtifact(`${dirRoot}/gone/sub/b.txt`, "b", "text/plain"));
    expect(await ok(client.deleteArtifact(`${dirRoot}/gone/a.txt`))).toEqual({});
    expect(failureOf(await client.getArtifact(`${dirRoot}/gone/a.txt`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await ok(client.listArtifacts(`${dirRoot}/gone`))).files).toEqual([{ path: "sub", is_dir: true }]);
    expect(await ok(client.deleteArtifact(`${dirRoot}/gone`))).toEqual({});
    expect((await client.listArtifacts(`${dirRoot}/gone`)).text).toBe("{}");
    expect(failureOf(await client.getArtifact(`${dirRoot}/gone/sub/b.txt`))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
  });
});

describe("paths that leave the run's artifacts", () => {
  // Raw paths after /mlflow-artifacts/artifacts/, as they could appear in a request line.
  const attacks = (): [string, string][] => [
    ["dot-dot segments", `${root}/../../../../../escape.txt`],
    ["dot-dot to the project root", `${root}/../../../escape.txt`],
    ["encoded dot-dot", `${root}/%2e%2e/%2e%2e/%2e%2e/escape.txt`],
    ["upper-case encoded dot-dot", `${root}/%2E%2E/%2E%2E/escape.txt`],
    ["dot-dot with an encoded slash", `${root}/..%2f..%2f..%2f..%2fescape.txt`],
    ["double-encoded dot-dot", `${root}/%252e%252e/%252e%252e/%252e%252e/escape.txt`],
    ["double-encoded slash", `${root}/..%252f..%252fescape.txt`],
    ["absolute path", "/etc/passwd"],
    ["encoded absolute path", "%2Fetc%2Fpasswd"],
    ["backslashes", `${root}/..\\..\\..\\escape.txt`],
    ["encoded backslashes", `${root}/..%5c..%5c..%5cescape.txt`],
    ["a dot segment", `${root}/./escape.txt`],
    ["a NUL byte", `${root}/escape.txt%00.png`],
    ["a Windows drive", "C:/Windows/escape.txt"],
    ["another project's run", `${other.experimentId}/${other.runId}/artifacts/escape.txt`],
    ["another project's file", other.file],
    ["a run that does not exist", `${experimentId}/0123456789abcdef0123456789abcdef/artifacts/escape.txt`],
    ["this run under another experiment", `0/${runId}/artifacts/escape.txt`],
    ["this run's id with dashes", `${experimentId}/${runId.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")}/artifacts/escape.txt`],
    ["an experiment that does not exist", `98765/${runId}/artifacts/escape.txt`],
    ["beside the artifacts folder", `${experimentId}/${runId}/notartifacts/escape.txt`],
    ["the run folder itself", `${experimentId}/${runId}/escape.txt`],
    ["another project's logged model", `${other.experimentId}/models/m-00000000000000000000000000000000/artifacts/escape.txt`],
  ];

  it("refuses every attempt with a 4xx JSON error, for PUT, GET, DELETE and listing alike", async () => {
    const refusals: string[] = [];
    for (const [label, raw] of attacks()) {
      // What Next.js hands the route (each segment decoded once), and the raw segments of a router that does not decode.
      for (const [how, segments] of [
        ["decoded", undefined],
        ["raw", ["artifacts", ...raw.split("/")]],
      ] as const) {
        const init = { segments: segments as string[] | undefined };
        const put = failureOf(await client.putArtifact(raw, `attack ${label}`, "text/plain", init));
        const get = failureOf(await client.getArtifact(raw, init));
        const del = failureOf(await client.deleteArtifact(raw, init));
        for (const [verb, result] of [
          ["PUT", put],
          ["GET", get],
          ["DELETE", del],
        ] as const) {
          if (!(result.status >= 400 && result.status < 500 && result.json && result.error_code))
            refusals.push(`${verb} ${how} ${label}: ${JSON.stringify(result)}`);
        }
      }
      const list = await client.listArtifacts(decodeURIComponentSafe(raw));
      if (!(list.status >= 400 && list.status < 500 && list.json?.error_code) && list.text !== "{}")
        refusals.push(`LIST ${label}: ${list.status} ${list.text}`);
    }
    expect(refusals).toEqual([]);
  });

  it("writes nothing outside the project's own prefix and leaves the other project's files alone", async () => {
    for (const [label, raw] of attacks()) {
      await client.putArtifact(raw, `attack ${label}`, "text/plain");
      await client.putArtifact(raw, `attack ${label}`, "text/plain", { segments: ["artifacts", ...raw.split("/")] });
      await client.deleteArtifact(raw);
      await client.deleteArtifact(raw, { segments: ["artifacts", ...raw.split("/")] });
    }
    const everything = await filesUnder(scratchDir);
    const mine = path.join("artifacts", "projects", projectId) + path.sep;
    const theirs = path.join("artifacts", "projects", other.projectId, ...other.file.split("/"));
    expect(everything.filter((f) => !f.startsWith(mine) && f !== theirs)).toEqual([]);
    const attacked: string[] = [];
    for (const file of everything) if ((await readFile(path.join(scratchDir, file), "utf8")).startsWith("attack")) attacked.push(file);
    expect(attacked).toEqual([]);
    expect((await other.client.getArtifact(other.file)).bytes.toString()).toBe("the other project's secret");
  });
});

/** The listing takes its path from the query string, which is decoded once; keep undecodable text as is. */
function decodeURIComponentSafe(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

describe("multipart and other endpoints", () => {
  it.each(["create", "complete", "abort"])("answers mpu/%s with 501 so the client falls back to a single PUT", async (step) => {
    const reply = await client.artifactRequest("POST", `mpu/${step}/${root}/big.bin`, { body: { path: "big.bin", num_parts: 3, upload_id: "u" } });
    expect(reply.status).toBe(501);
    const body = await reply.json();
    expect(body.error_code).toBe("NOT_IMPLEMENTED");
    expect(body.message.startsWith("Multipart upload is not supported for the current artifact repository")).toBe(true);
  });

  it("answers an unknown area with 404 and a wrong method with 405, both as JSON", async () => {
    const unknown = await client.artifactRequest("GET", `presigned/${root}/x.bin`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error_code).toBe("ENDPOINT_NOT_FOUND");
    const wrong = await client.artifactRequest("POST", `artifacts/${root}/x.bin`, { body: "x" });
    expect(wrong.status).toBe(405);
    expect((await wrong.json()).error_code).toEqual(expect.any(String));
  });
});

describe("credentials on the artifact proxy", () => {
  it("asks for credentials, refuses a read-only token's upload, and hides the project from outsiders", async () => {
    const file = `${root}/guarded.txt`;
    await ok(client.putArtifact(file, "guarded", "text/plain"));

    const anonymous = mlflow(slug, null);
    const noAuth = await anonymous.getArtifact(file);
    expect(failureOf(noAuth)).toEqual(mlflowError(401, "UNAUTHENTICATED"));
    expect(noAuth.response.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(failureOf(await anonymous.putArtifact(`${root}/anon.txt`, "x"))).toEqual(mlflowError(401, "UNAUTHENTICATED"));

    const viewer = await makeUser();
    await addMember(projectId, viewer, "contributor");
    const readOnly = mlflow(slug, (await tokenActorOf(viewer, { readOnly: true })).secret);
    expect((await readOnly.getArtifact(file)).bytes.toString()).toBe("guarded");
    expect(failureOf(await readOnly.putArtifact(`${root}/readonly.txt`, "x"))).toEqual(mlflowError(403, "PERMISSION_DENIED"));
    expect(failureOf(await readOnly.deleteArtifact(file))).toEqual(mlflowError(403, "PERMISSION_DENIED"));

    const outsider = mlflow(slug, (await tokenActorOf(await makeUser())).secret);
    expect(failureOf(await outsider.getArtifact(file))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(failureOf(await outsider.listArtifacts(root))).toEqual(mlflowError(404, "RESOURCE_DOES_NOT_EXIST"));

    const written = await filesUnder(artifactsDir);
    expect(written.filter((f) => /anon\.txt|readonly\.txt/.test(f))).toEqual([]);
    expect((await client.getArtifact(file)).bytes.toString()).toBe("guarded");
  });
});
