import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ArtifactStore } from "../../server/storage/artifact-store";
import { LocalArtifactStore } from "../../server/storage/local-store";
import { S3ArtifactStore } from "../../server/storage/s3-store";
import { startS3Server, type S3TestServer } from "../support/s3-server";

/** A store under test, and everything it physically holds (upload leftovers included), by key. */
type Harness = { store: ArtifactStore; stored(): Promise<string[]> };

const MiB = 1024 * 1024;
const SIZE = 160 * MiB;

function behavesLikeAnArtifactStore(makeHarness: () => Promise<Harness>) {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });

  it("streams a 160 MB upload and download without holding the file in memory", async () => {
    // A small round trip first, so that the measurement sees the transfer rather than code loading.
    await h.store.put("warm-up.bin", Readable.from(randomChunks(MiB, 64 * 1024, createHash("sha256"))));
    await sha256Of((await h.store.get("warm-up.bin"))!.body);
    await h.store.delete("warm-up.bin");

    const sent = createHash("sha256");
    const body = Readable.toWeb(Readable.from(randomChunks(SIZE, 64 * 1024, sent))) as ReadableStream<Uint8Array>;
    const upload = await peakRssGrowth(() => h.store.put("big/model.bin", body));
    expect(upload.result).toEqual({ size: SIZE });

    const download = await peakRssGrowth(async () => {
      const object = (await h.store.get("big/model.bin"))!;
      return { size: object.size, sha256: await sha256Of(object.body) };
    });
    expect(download.result).toEqual({ size: SIZE, sha256: sent.digest("hex") });
    // Buffering would add at least the whole 160 MiB; streaming costs ~15 MiB (S3 upload parts) plus
    // allocator noise, so a limit of a third of the file separates the two with room to spare.
    expect(upload.growth).toBeLessThan(SIZE / 3);
    expect(download.growth).toBeLessThan(SIZE / 3);
  });

  it("stores and returns an empty file", async () => {
    expect(await h.store.put("empty.txt", bodyOf(""))).toEqual({ size: 0 });
    const object = (await h.store.get("empty.txt"))!;
    expect(object.size).toBe(0);
    expect(await textOf(object.body)).toBe("");
    expect(await h.store.list("")).toEqual([{ path: "empty.txt", isDir: false, size: 0 }]);
  });

  it("lists the immediate children of a folder, sorted, with sizes for files", async () => {
    await h.store.put("run/metrics.json", bodyOf("{}"));
    await h.store.put("run/model/model.v1.pkl", bodyOf("12345"));
    await h.store.put("run/model/MLmodel", bodyOf("abc"));
    await h.store.put("run/model/data/weights.bin", bodyOf("x"));
    await h.store.put("run/plots ü/loss curve.png", bodyOf("png"));
    await h.store.put("run/.hidden", bodyOf("h"));
    await h.store.put("other.txt", bodyOf("o"));

    expect(await h.store.list("")).toEqual([
      { path: "other.txt", isDir: false, size: 1 },
      { path: "run", isDir: true },
    ]);
    expect(await h.store.list("run")).toEqual([
      { path: ".hidden", isDir: false, size: 1 },
      { path: "metrics.json", isDir: false, size: 2 },
      { path: "model", isDir: true },
      { path: "plots ü", isDir: true },
    ]);
    expect(await h.store.list("run/model")).toEqual([
      { path: "MLmodel", isDir: false, size: 3 },
      { path: "data", isDir: true },
      { path: "model.v1.pkl", isDir: false, size: 5 },
    ]);
  });

  it("lists nothing for a file, a missing folder or an empty store", async () => {
    expect(await h.store.list("")).toEqual([]);
    await h.store.put("dir/file.txt", bodyOf("x"));
    expect(await h.store.list("dir/file.txt")).toEqual([]);
    expect(await h.store.list("missing")).toEqual([]);
    expect(await h.store.list("dir/missing/deeper")).toEqual([]);
  });

  it("gets null for a missing key or a folder", async () => {
    await h.store.put("dir/file.txt", bodyOf("x"));
    expect(await h.store.get("missing.txt")).toBeNull();
    expect(await h.store.get("dir")).toBeNull();
    expect(await h.store.get("dir/file.txt/below")).toBeNull();
  });

  it("deletes a file, a folder with everything under it, and nothing else", async () => {
    for (const key of ["a/one.txt", "a/two.txt", "a/sub/three.txt", "a/sub/deep/four.txt", "ab/keep.txt", "a.txt"]) {
      await h.store.put(key, bodyOf(key));
    }
    await h.store.delete("a/one.txt");
    expect(await h.store.get("a/one.txt")).toBeNull();
    expect((await h.store.list("a")).map((e) => e.path)).toEqual(["sub", "two.txt"]);

    await h.store.delete("a");
    expect(await h.stored()).toEqual(["a.txt", "ab/keep.txt"]);
    expect(await h.store.list("")).toEqual([
      { path: "a.txt", isDir: false, size: 5 },
      { path: "ab", isDir: true },
    ]);

    await h.store.delete("a");
    await h.store.delete("never/existed.txt");
    expect(await h.stored()).toEqual(["a.txt", "ab/keep.txt"]);
  });

  it("ends concurrent uploads of one key with one complete file", async () => {
    const versions = [1, 2, 3, 4].map((n) => randomBytes(n * 300 * 1024));
    const results = await Promise.all(versions.map((bytes) => h.store.put("same.bin", slowly(bytes))));
    expect(results.map((r) => r.size)).toEqual(versions.map((v) => v.length));

    const object = (await h.store.get("same.bin"))!;
    const digest = await sha256Of(object.body);
    const winner = versions.find((v) => createHash("sha256").update(v).digest("hex") === digest);
    expect(winner?.length).toBe(object.size);
    expect(await h.stored()).toEqual(["same.bin"]);
  });

  it("leaves nothing behind when the upload stream fails midway, and keeps the previous file", async () => {
    const failing = () => Readable.from(failAfter(20 * MiB, new Error("client went away")));
    await expect(h.store.put("runs/1/model.bin", failing())).rejects.toThrow("client went away");
    expect(await h.store.get("runs/1/model.bin")).toBeNull();
    expect(await h.store.list("")).toEqual([]);
    expect(await h.stored()).toEqual([]);

    await h.store.put("runs/1/model.bin", bodyOf("version 1"));
    await expect(h.store.put("runs/1/model.bin", failing())).rejects.toThrow("client went away");
    expect(await textOf((await h.store.get("runs/1/model.bin"))!.body)).toBe("version 1");
    expect(await h.stored()).toEqual(["runs/1/model.bin"]);
  });

  it("does not show a file in a listing before its upload has finished", async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const uploading = h.store.put(
      "dir/slow.txt",
      Readable.from(
        (async function* () {
          yield Buffer.from("first half, ");
          await finished;
          yield Buffer.from("second half");
        })(),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.store.list("dir")).toEqual([]);
    expect(await h.store.get("dir/slow.txt")).toBeNull();
    finish();
    await uploading;
    expect(await h.store.list("dir")).toEqual([{ path: "slow.txt", isDir: false, size: 23 }]);
  });

  it("lists every file under a folder recursively, with full keys", async () => {
    for (const key of ["m/a.bin", "m/sub/b.bin", "m/sub/deeper/c.bin", "mx/d.bin", "e.bin"]) {
      await h.store.put(key, bodyOf(key));
    }
    const all = async (dir: string) => {
      const files = [];
      for await (const file of h.store.listRecursive(dir)) files.push(file);
      return files.sort((a, b) => (a.key < b.key ? -1 : 1));
    };
    expect(await all("m")).toEqual([
      { key: "m/a.bin", size: 7 },
      { key: "m/sub/b.bin", size: 11 },
      { key: "m/sub/deeper/c.bin", size: 18 },
    ]);
    expect((await all("")).map((f) => f.key)).toEqual(["e.bin", "m/a.bin", "m/sub/b.bin", "m/sub/deeper/c.bin", "mx/d.bin"]);
    expect(await all("m/sub/b.bin")).toEqual([]);
    expect(await all("missing")).toEqual([]);
  });

  it("refuses keys that were not normalised", async () => {
    await expect(h.store.put("../escape.txt", bodyOf("x"))).rejects.toMatchObject({ kind: "invalid" });
    await expect(h.store.get("/etc/passwd")).rejects.toMatchObject({ kind: "invalid" });
    await expect(h.store.list("a//b")).rejects.toMatchObject({ kind: "invalid" });
    await expect(h.store.delete("")).rejects.toMatchObject({ message: "An artifact path is required" });
    expect(await h.stored()).toEqual([]);
  });
}

describe("local artifact store", () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  async function localHarness(): Promise<Harness> {
    const root = await mkdtemp(path.join(os.tmpdir(), "cairn-artifacts-"));
    roots.push(root);
    const store = new LocalArtifactStore(path.join(root, "artifacts"));
    return { store, stored: () => filesUnder(path.join(root, "artifacts")) };
  }

  behavesLikeAnArtifactStore(localHarness);

  it("refuses a file where a folder is (or the reverse) with a conflict", async () => {
    const { store } = await localHarness();
    await store.put("model", bodyOf("file"));
    await expect(store.put("model/MLmodel", bodyOf("x"))).rejects.toMatchObject({ kind: "conflict" });
    await store.put("dir/file", bodyOf("x"));
    await expect(store.put("dir", bodyOf("x"))).rejects.toMatchObject({ kind: "conflict" });
  });

  it("guesses the content type from the name, as MLflow's server does", async () => {
    const { store } = await localHarness();
    const typeOf = async (key: string) => {
      await store.put(key, bodyOf("x"), { contentType: "application/x-ignored" });
      return (await store.get(key))?.contentType;
    };
    expect(await typeOf("notes.TXT")).toBe("text/plain");
    expect(await typeOf("model/MLmodel")).toBe("text/plain");
    expect(await typeOf("plots/loss.png")).toBe("image/png");
    expect(await typeOf("model/model.pkl")).toBeUndefined();
    expect(await typeOf("README")).toBeUndefined();
  });
});

describe("S3 artifact store (moto)", () => {
  let server: S3TestServer;
  let admin: S3Client;
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };

  beforeAll(async () => {
    server = await startS3Server();
    admin = new S3Client({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true, credentials });
  }, 180_000);
  afterAll(async () => {
    admin?.destroy();
    await server?.stop();
  });

  async function s3Harness(prefix = "cairn/artifacts"): Promise<Harness & { bucket: string }> {
    const bucket = `cairn-${randomUUID()}`;
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ArtifactStore({ bucket, prefix, endpoint: server.endpoint, region: "us-east-1", forcePathStyle: true, credentials });
    return { store, bucket, stored: () => objectsIn(bucket, prefix) };
  }

  async function objectsIn(bucket: string, prefix: string): Promise<string[]> {
    const objects = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
    const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    const strip = (key: string) => (prefix && key.startsWith(`${prefix}/`) ? key.slice(prefix.length + 1) : key);
    return [...(objects.Contents ?? []).map((o) => strip(o.Key!)), ...(uploads.Uploads ?? []).map((u) => `unfinished upload of ${u.Key}`)].sort();
  }

  behavesLikeAnArtifactStore(() => s3Harness());

  it("works at the bucket root and never touches keys outside its prefix", async () => {
    const { store: atRoot, bucket } = await s3Harness("");
    const prefixed = new S3ArtifactStore({ bucket, prefix: "tenant/", endpoint: server.endpoint, region: "us-east-1", forcePathStyle: true, credentials });
    await atRoot.put("tenant.txt", bodyOf("root file"));
    await prefixed.put("tenant.txt", bodyOf("prefixed"));
    expect(await atRoot.list("")).toEqual([
      { path: "tenant", isDir: true },
      { path: "tenant.txt", isDir: false, size: 9 },
    ]);
    expect(await prefixed.list("")).toEqual([{ path: "tenant.txt", isDir: false, size: 8 }]);
    await prefixed.delete("tenant.txt");
    expect(await textOf((await atRoot.get("tenant.txt"))!.body)).toBe("root file");
  });

  it("keeps the content type and tolerates folder marker objects", async () => {
    const { store, bucket } = await s3Harness();
    await store.put("plots/loss.png", bodyOf("png"), { contentType: "image/png" });
    expect((await store.get("plots/loss.png"))?.contentType).toBe("image/png");
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: "cairn/artifacts/plots/", Body: new Uint8Array() }));
    expect(await store.list("plots")).toEqual([{ path: "loss.png", isDir: false, size: 3 }]);
  });

  it("cancels the upload body when S3 refuses the upload", async () => {
    let bodyClosed = false;
    const endless = Readable.from(
      (async function* () {
        try {
          for (;;) yield randomBytes(MiB);
        } finally {
          bodyClosed = true;
        }
      })(),
    );
    const store = new S3ArtifactStore({ bucket: "no-such-bucket", endpoint: server.endpoint, region: "us-east-1", forcePathStyle: true, credentials });
    await expect(store.put("a.bin", endless)).rejects.toMatchObject({ name: "NoSuchBucket" });
    expect(bodyClosed).toBe(true);
  });

  it("deletes more than one page of keys under a folder", async () => {
    const { store, bucket, stored } = await s3Harness();
    const keys = Array.from({ length: 1005 }, (_, i) => `cairn/artifacts/many/${String(i).padStart(4, "0")}.txt`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((Key) => admin.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))));
    }
    expect((await store.list("many")).length).toBe(1005);
    await store.delete("many");
    expect(await stored()).toEqual([]);
  });
});

function bodyOf(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

async function* randomChunks(total: number, chunkSize: number, hash: ReturnType<typeof createHash>) {
  for (let sent = 0; sent < total; sent += chunkSize) {
    const chunk = randomBytes(Math.min(chunkSize, total - sent));
    hash.update(chunk);
    yield chunk;
  }
}

async function* failAfter(bytes: number, error: Error) {
  for (let sent = 0; sent < bytes; sent += MiB) yield randomBytes(MiB);
  throw error;
}

/** Yields the bytes in small pieces across event-loop turns, so concurrent uploads interleave. */
function slowly(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) {
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(at, at + 64 * 1024);
      }
    })(),
  );
}

async function sha256Of(body: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function textOf(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** Runs `work` while sampling the resident set size, and reports how far it rose above the start. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, process.memoryUsage.rss()) - start };
  } finally {
    clearInterval(sampler);
  }
}

/** Every file under `root` by key, with folders left empty shown as "name/". */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const keys: string[] = [];
  for (const entry of entries) {
    const key = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (entry.isFile()) keys.push(key);
    else if (entry.isDirectory() && (await readdir(path.join(root, key))).length === 0) keys.push(`${key}/`);
  }
  return keys.sort();
}
