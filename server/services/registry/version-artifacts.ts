import { z } from "zod";
import type { ProjectContext } from "../../context";
import { notFound, parseInput } from "../../errors";
import { normalizeArtifactPath } from "../../storage/artifact-path";
import { getArtifact, listArtifactDirectory } from "../tracking/artifacts";
import { modelDirectoryOf, readArtifactHead, readMlmodel } from "./model-files";
import { modelByName, modelNameField, versionField, versionOf } from "./shared";

/** A model directory holds a handful of files; past these the page says the list is cut short. */
const MAX_FILES = 500;
const MAX_DIRECTORIES = 100;
/** The input example is shown as a preview, not downloaded whole into the page. */
const EXAMPLE_PREVIEW_BYTES = 4096;
const DEFAULT_EXAMPLE_PATH = "input_example.json";

export const versionArtifactsInput = z.object({ name: modelNameField, version: versionField });

/**
 * The version's model directory in the store, or null when its files live outside Cairn. MLflow 2.x
 * clients register the underlying `mlflow-artifacts:/…` URI itself as the source, so it is read as
 * the location when Cairn resolved none (as the framework lookup at registration does).
 */
async function versionDirectory(ctx: ProjectContext, name: string, version: number) {
  const row = await versionOf(ctx, await modelByName(ctx, name), version);
  return modelDirectoryOf(row.storageLocation ?? row.source);
}

/** Every file under a directory, breadth first, with paths relative to it (at most MAX_FILES). */
async function listFiles(ctx: ProjectContext, directory: string) {
  const files: { path: string; size: number }[] = [];
  const pending = [""];
  let listed = 0;
  while (pending.length && files.length < MAX_FILES && listed < MAX_DIRECTORIES) {
    const relative = pending.shift()!;
    listed++;
    for (const entry of await listArtifactDirectory(ctx, relative ? `${directory}/${relative}` : directory)) {
      const path = relative ? `${relative}/${entry.path}` : entry.path;
      if (entry.isDir) pending.push(path);
      else files.push({ path, size: entry.size ?? 0 });
    }
  }
  const truncated = pending.length > 0 || files.length > MAX_FILES;
  return { files: files.slice(0, MAX_FILES).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), truncated };
}

/** A JSON example is re-indented when it was read whole; anything else is shown as written. */
function previewOf(text: string, truncated: boolean): string {
  if (truncated) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * What a version's model directory holds, for its page: the files with their sizes, the signature
 * and flavors its MLmodel file declares, and the head of its input example. A version whose files
 * live outside Cairn (an s3:// source) has none of these to show: `stored` is false.
 */
export async function getVersionArtifacts({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionArtifactsInput> }) {
  const { name, version } = parseInput(versionArtifactsInput, input);
  const directory = await versionDirectory(ctx, name, version);
  if (!directory) return { stored: false, files: [], truncated: false, flavors: [], signature: null, inputExample: null, mlflowVersion: null };
  const [{ files, truncated }, mlmodel] = await Promise.all([listFiles(ctx, directory), readMlmodel(ctx, directory)]);
  const examplePath = mlmodel?.inputExamplePath ?? (files.some((f) => f.path === DEFAULT_EXAMPLE_PATH) ? DEFAULT_EXAMPLE_PATH : null);
  let inputExample: { path: string; preview: string; size: number; truncated: boolean } | null = null;
  if (examplePath) {
    try {
      const head = await readArtifactHead(ctx, `${directory}/${normalizeArtifactPath(examplePath)}`, EXAMPLE_PREVIEW_BYTES);
      inputExample = { path: examplePath, preview: previewOf(head.text, head.truncated), size: head.size, truncated: head.truncated };
    } catch {
      // MLmodel names an example that was never uploaded (or a path outside the directory): none to show.
    }
  }
  return {
    stored: true,
    files,
    truncated,
    flavors: mlmodel?.flavors ?? [],
    signature: mlmodel?.signature ?? null,
    inputExample,
    mlflowVersion: mlmodel?.mlflowVersion ?? null,
  };
}

export const versionFileInput = versionArtifactsInput.extend({ path: z.string().min(1).max(4096) });

/** Opens one file of a version's model directory by its path inside it (the page's downloads). */
export async function openVersionFile({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof versionFileInput> }) {
  const { name, version, path } = parseInput(versionFileInput, input);
  const directory = await versionDirectory(ctx, name, version);
  if (!directory) throw notFound("This version's files are stored outside Cairn");
  return getArtifact(ctx, `${directory}/${normalizeArtifactPath(path)}`);
}
