import { z } from "zod";
import type { ProjectContext } from "../../context";
import { invalid, notFound, parseInput } from "../../errors";
import { normalizeArtifactPath } from "../../storage/artifact-path";
import { getArtifactStore } from "../../storage";
import { experimentById } from "./experiments";
import { runIdOf } from "./ids";
import { loggedModelRow } from "./logged-models";
import { runById, runIdField } from "./runs";

/**
 * Artifact paths are MLflow's: `<experiment>/<run>/artifacts/<file>` for runs and
 * `<experiment>/models/<model id>/artifacts/<file>` for MLflow 3 logged models. Every path is
 * checked against this project's runs and models, and stored under the project's own prefix.
 */
type Resolved = { key: string; relative: string[]; writable: boolean };

const projectPrefix = (ctx: ProjectContext) => `projects/${ctx.project.id}`;

async function resolve(ctx: ProjectContext, rawPath: string): Promise<Resolved | null> {
  const path = normalizeArtifactPath(rawPath);
  const segments = path ? path.split("/") : [];
  if (segments.length < 3) return null;
  const experiment = await experimentById(ctx, segments[0]!);
  // One spelling per file: "01/…" or an upper-case run id would be another folder, missed by purges.
  if (segments[0] !== String(experiment.number)) throw notFound(`No experiment '${segments[0]}' in artifact paths; use ${experiment.number}`);
  let rest: string[];
  let writable: boolean;
  if (segments[1] === "models") {
    const model = await loggedModelRow(ctx, segments[2]!);
    if (model.experimentNumber !== experiment.number) throw notFound(`Logged model '${segments[2]}' not found`);
    rest = segments.slice(3);
    writable = !model.deletedAt;
  } else {
    const run = await runById(ctx, segments[1]!);
    if (run.experimentNumber !== experiment.number || runIdOf(run.id) !== segments[1]) {
      throw notFound(`Run '${segments[1]}' not found`);
    }
    rest = segments.slice(2);
    writable = !run.deletedAt;
  }
  if (rest[0] !== "artifacts") throw notFound(`No artifacts at '${path}'`);
  return { key: `${projectPrefix(ctx)}/${path}`, relative: rest.slice(1), writable };
}

async function resolveFile(ctx: ProjectContext, rawPath: string): Promise<Resolved> {
  const resolved = await resolve(ctx, rawPath);
  if (!resolved || resolved.relative.length === 0) throw invalid(`'${rawPath}' is not an artifact file path`);
  return resolved;
}

/** Streams an upload into the store; a deleted run or model takes no new files. */
export async function putArtifact(ctx: ProjectContext, rawPath: string, body: ReadableStream<Uint8Array>, contentType?: string) {
  const target = await resolveFile(ctx, rawPath);
  if (!target.writable) throw invalid("Artifacts cannot be added to a deleted run or model");
  return getArtifactStore().put(target.key, body, { contentType });
}

/** Opens an artifact for streaming, or NOT_FOUND. */
export async function getArtifact(ctx: ProjectContext, rawPath: string) {
  const target = await resolveFile(ctx, rawPath);
  const file = await getArtifactStore().get(target.key);
  if (!file) throw notFound(`Artifact '${rawPath}' not found`);
  return file;
}

/** The artifact proxy's listing: basenames of a directory's children; empty for a file or a missing path. */
export async function listArtifactDirectory(ctx: ProjectContext, rawPath: string) {
  const target = await resolve(ctx, rawPath ?? "");
  if (!target) return [];
  return getArtifactStore().list(target.key);
}

export async function deleteArtifact(ctx: ProjectContext, rawPath: string) {
  const target = await resolveFile(ctx, rawPath);
  await getArtifactStore().delete(target.key);
}

export const listRunArtifactsInput = z.object({ runId: runIdField, path: z.string().max(4096).optional() });

/**
 * `artifacts/list`: a run's files with paths relative to its artifact root. Runs whose artifacts
 * live in an external store (s3://…) are listed as empty, since Cairn never sees those bytes.
 */
export async function listRunArtifacts({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof listRunArtifactsInput> }) {
  const { runId, path } = parseInput(listRunArtifactsInput, input);
  const run = await runById(ctx, runId);
  const prefix = /^mlflow-artifacts:\/(.*)$/.exec(run.artifactUri)?.[1];
  if (!prefix) return { rootUri: run.artifactUri, files: [] };
  const relative = path ? normalizeArtifactPath(path) : "";
  const entries = await listArtifactDirectory(ctx, relative ? `${prefix}/${relative}` : prefix);
  return {
    rootUri: run.artifactUri,
    files: entries.map((e) => ({ path: relative ? `${relative}/${e.path}` : e.path, isDir: e.isDir, fileSize: e.isDir ? undefined : e.size })),
  };
}

export const runArtifactInput = z.object({ runId: runIdField, path: z.string().min(1).max(4096) });

/** Opens one file of a run by its run-relative path (the UI's download and preview). */
export async function openRunArtifact({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof runArtifactInput> }) {
  const { runId, path } = parseInput(runArtifactInput, input);
  const run = await runById(ctx, runId);
  const prefix = /^mlflow-artifacts:\/(.*)$/.exec(run.artifactUri)?.[1];
  if (!prefix) throw notFound("This run's artifacts are stored outside Cairn");
  return getArtifact(ctx, `${prefix}/${normalizeArtifactPath(path)}`);
}
