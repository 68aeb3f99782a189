import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";

/** One child of a listed directory; `path` is its name within that directory. */
export type ArtifactEntry = { path: string; isDir: boolean; size?: number };

/** What an upload may arrive as: a route's `request.body`, or a Node stream (CLI, tests). */
export type ArtifactBody = ReadableStream<Uint8Array> | NodeJS.ReadableStream;

/**
 * The byte store behind the MLflow artifact proxy. Keys are `/`-separated relative paths already
 * normalised by `normalizeArtifactPath`; "" is the root. Bodies stream both ways, so a file of any
 * size passes through in bounded memory.
 */
export interface ArtifactStore {
  /** Stores a whole file or nothing: a failed or aborted upload leaves no object behind. */
  put(key: string, body: ArtifactBody, options?: { contentType?: string }): Promise<{ size: number }>;
  /**
   * The file's bytes, or null when there is no file at `key`. The content type is the one stored at
   * upload where the backend keeps it (S3), else guessed from the name (local folder).
   */
  get(key: string): Promise<{ body: Readable; size: number; contentType?: string } | null>;
  /** Immediate children of a directory, sorted by name; [] when `dir` is missing or is a file. */
  list(dir: string): Promise<ArtifactEntry[]>;
  /** Every file under a directory, with its full key. */
  listRecursive(dir: string): AsyncIterable<{ key: string; size: number }>;
  /** Removes a file, or every file under it when it is a directory; a missing key is fine. */
  delete(key: string): Promise<void>;
}

export function toNodeReadable(body: ArtifactBody): Readable {
  if (body instanceof Readable) return body;
  if ("getReader" in body) return Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>);
  return Readable.from(body);
}

/** Both stores order names the same way, so a listing does not depend on the backend. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
