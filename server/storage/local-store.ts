import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { conflict, invalid } from "../errors";
import { assertArtifactKey } from "./artifact-path";
import { compareNames, toNodeReadable, type ArtifactBody, type ArtifactEntry, type ArtifactStore } from "./artifact-store";

// Uploads are written beside their target under this name, then renamed into place; listings hide them.
const UPLOAD_PREFIX = ".cairn-upload-";

// A folder keeps no content type, so it is guessed from the name the way MLflow's own server does:
// text formats as text/plain, a few common binary types, and nothing (the caller's default) otherwise.
const TEXT_EXTENSIONS = "txt log err cfg conf ini properties toml yaml yml xml json js py csv tsv md rst".split(" ");
const TEXT_NAMES = ["MLmodel", "MLproject"];
const OTHER_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  html: "text/html",
};

/** Artifacts as plain files under one folder, which is created on the first upload. */
export class LocalArtifactStore implements ArtifactStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, body: ArtifactBody): Promise<{ size: number }> {
    const target = this.fileOf(key);
    if (path.basename(target).startsWith(UPLOAD_PREFIX)) throw invalid(`Artifact names may not start with ${UPLOAD_PREFIX}`);
    const dir = path.dirname(target);
    const temp = path.join(dir, `${UPLOAD_PREFIX}${randomUUID()}`);
    const file = await this.createFile(temp).catch((error) => {
      throw asConflict(error, key);
    });
    try {
      await pipeline(toNodeReadable(body), file.createWriteStream({ flush: true }));
      const { size } = await stat(temp);
      // rename replaces atomically: readers and concurrent uploads of the same key see one whole file.
      await rename(temp, target);
      return { size };
    } catch (error) {
      await rm(temp, { force: true });
      await this.pruneEmptyDirs(dir);
      throw asConflict(error, key);
    }
  }

  async get(key: string) {
    let file: FileHandle;
    try {
      file = await open(this.fileOf(key), "r");
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const info = await file.stat();
    if (!info.isFile()) {
      await file.close();
      return null;
    }
    // Reading through the handle that was checked: a later rename over the key cannot mix two files.
    return { body: file.createReadStream(), size: info.size, contentType: contentTypeOf(path.basename(key)) };
  }

  async list(dir: string): Promise<ArtifactEntry[]> {
    const folder = this.pathOf(dir);
    const entries = await Promise.all(
      (await this.readDir(folder)).map(async (entry): Promise<ArtifactEntry | null> => {
        if (entry.isDirectory()) return { path: entry.name, isDir: true };
        const size = await sizeOf(path.join(folder, entry.name));
        return size === null ? null : { path: entry.name, isDir: false, size };
      }),
    );
    return entries.filter((entry) => entry !== null).sort((a, b) => compareNames(a.path, b.path));
  }

  async *listRecursive(dir: string): AsyncIterable<{ key: string; size: number }> {
    const folder = this.pathOf(dir);
    for (const entry of (await this.readDir(folder)).sort((a, b) => compareNames(a.name, b.name))) {
      const key = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        yield* this.listRecursive(key);
        continue;
      }
      const size = await sizeOf(path.join(folder, entry.name));
      if (size !== null) yield { key, size };
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.fileOf(key);
    await rm(target, { recursive: true, force: true });
    await this.pruneEmptyDirs(path.dirname(target));
  }

  /** The folder for a directory key; "" is the root. */
  private pathOf(dir: string): string {
    assertArtifactKey(dir, { allowRoot: true });
    return dir ? path.join(this.root, ...dir.split("/")) : this.root;
  }

  /** The path for a file or folder key, which may not be the root itself. */
  private fileOf(key: string): string {
    assertArtifactKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  /** Regular files and folders only: upload temporaries, symlinks and the like are not artifacts. */
  private async readDir(folder: string): Promise<Dirent[]> {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() || (e.isFile() && !e.name.startsWith(UPLOAD_PREFIX)));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Creates the upload's temporary file and its folders; retried once if a delete pruned a folder meanwhile. */
  private async createFile(temp: string): Promise<FileHandle> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(path.dirname(temp), { recursive: true });
      try {
        return await open(temp, "wx");
      } catch (error) {
        if (attempt > 1 || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }

  /** Removes folders left empty up to the root, so a listing matches S3, which has no empty folders. */
  private async pruneEmptyDirs(from: string): Promise<void> {
    for (let dir = from; dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): everything above it stays too
      }
    }
  }
}

function contentTypeOf(name: string): string | undefined {
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  if (TEXT_EXTENSIONS.includes(extension) || TEXT_NAMES.includes(name)) return "text/plain";
  return OTHER_TYPES[extension];
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if (isMissing(error)) return null; // deleted while listing
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** A file where a folder is wanted, or the reverse: S3 allows both, a filesystem does not. */
function asConflict(error: unknown, key: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST" || code === "ENOTEMPTY") {
    return conflict(`Cannot store ${JSON.stringify(key)}: a file and a folder would share a name`);
  }
  return error;
}
