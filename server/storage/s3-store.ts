import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type ListObjectsV2CommandInput,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { assertArtifactKey, joinKey } from "./artifact-path";
import { compareNames, toNodeReadable, type ArtifactBody, type ArtifactEntry, type ArtifactStore } from "./artifact-store";

// lib-storage holds up to (PARALLEL_PARTS + 2) × PART_SIZE per upload: the parts being sent, the
// chunks gathered for the next one and their concatenation. S3's minimum part size, one at a time,
// keeps that near 15 MiB (a second parallel part doubled speed against moto but cost 10 MiB more).
// With at most 10,000 parts, one artifact is capped at about 48 GiB.
const PART_SIZE = 5 * 1024 * 1024;
const PARALLEL_PARTS = 1;
// DeleteObjects takes at most 1,000 keys, which is also a listing page.
const PAGE_SIZE = 1000;

export type S3StoreConfig = {
  bucket: string;
  /** Keys are stored under this prefix (no leading or trailing slash needed). */
  prefix?: string;
  /** A non-AWS server (MinIO, Ceph, R2, …); AWS itself when unset. */
  endpoint?: string;
  region: string;
  forcePathStyle?: boolean;
  /** Static credentials; the SDK's default chain (environment, profile, instance role) when unset. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

/** Artifacts as objects in an S3-compatible bucket; folders are key prefixes ending in "/". */
export class S3ArtifactStore implements ArtifactStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly rootPrefix: string;

  constructor(config: S3StoreConfig) {
    this.bucket = config.bucket;
    const prefix = joinKey(config.prefix ?? "");
    this.rootPrefix = prefix ? `${prefix}/` : "";
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // Many S3-compatible servers reject the checksum headers the SDK now adds by default.
      ...(config.endpoint && { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    });
  }

  async put(key: string, body: ArtifactBody, options: { contentType?: string } = {}): Promise<{ size: number }> {
    const objectKey = this.objectKey(key);
    let size = 0;
    const counted = Readable.from(
      countBytes(toNodeReadable(body), (bytes) => (size += bytes)),
      { objectMode: false },
    );
    // Upload sends one PutObject for a small body, else a multipart upload that it aborts on failure
    // (closing the body too): an object appears only once every byte has arrived.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: counted, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: PARALLEL_PARTS,
    });
    await upload.done();
    return { size };
  }

  async get(key: string) {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { body: object.Body as Readable, size: object.ContentLength ?? 0, contentType: object.ContentType };
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return null;
      throw error;
    }
  }

  async list(dir: string): Promise<ArtifactEntry[]> {
    const prefix = this.folderPrefix(dir);
    const entries: ArtifactEntry[] = [];
    for await (const page of this.pages({ Prefix: prefix, Delimiter: "/" })) {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        const name = Prefix!.slice(prefix.length, -1);
        if (name) entries.push({ path: name, isDir: true });
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key!.slice(prefix.length);
        // "" is a folder marker object ("dir/") that some tools create.
        if (name) entries.push({ path: name, isDir: false, size: object.Size ?? 0 });
      }
    }
    return entries.sort((a, b) => compareNames(a.path, b.path));
  }

  async *listRecursive(dir: string): AsyncIterable<{ key: string; size: number }> {
    for await (const page of this.pages({ Prefix: this.folderPrefix(dir) })) {
      for (const object of page.Contents ?? []) {
        if (!object.Key!.endsWith("/")) yield { key: object.Key!.slice(this.rootPrefix.length), size: object.Size ?? 0 };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    // Deleting a page does not disturb the listing: its continuation token names the last key seen.
    for await (const page of this.pages({ Prefix: `${objectKey}/` })) {
      const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
      if (objects.length === 0) continue;
      const result = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }));
      const failure = result.Errors?.[0];
      if (failure) throw new Error(`S3 did not delete ${failure.Key}: ${failure.Code} ${failure.Message}`);
    }
  }

  private objectKey(key: string): string {
    assertArtifactKey(key);
    return this.rootPrefix + key;
  }

  /** The prefix that lists a directory's children; the store's own prefix for "". */
  private folderPrefix(dir: string): string {
    assertArtifactKey(dir, { allowRoot: true });
    return dir ? `${this.rootPrefix}${dir}/` : this.rootPrefix;
  }

  private pages(input: Omit<ListObjectsV2CommandInput, "Bucket">) {
    return paginateListObjectsV2({ client: this.client, pageSize: PAGE_SIZE }, { Bucket: this.bucket, ...input });
  }
}

async function* countBytes(source: Readable, onChunk: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    onChunk(bytes.length);
    yield bytes;
  }
}
