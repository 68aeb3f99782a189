import type { ProjectContext } from "../../context";
import { getArtifact } from "../tracking/artifacts";
import { parseMlmodel, type Mlmodel } from "./mlmodel";

/** An MLmodel file is a few kilobytes; one past this is not MLflow's, and is not read. */
const MLMODEL_MAX_BYTES = 1_000_000;

/** The artifact path of a model's directory when Cairn holds its files (`mlflow-artifacts:/…`), else null. */
export function modelDirectoryOf(storageLocation: string | null): string | null {
  const path = storageLocation && /^mlflow-artifacts:\/(.+)$/.exec(storageLocation)?.[1];
  return path ? path.replace(/\/+$/, "") : null;
}

/**
 * The first `maxBytes` of an artifact as text, with the file's whole size; the rest of the file is
 * never read. Throws the artifact service's NOT_FOUND when there is no such file.
 */
export async function readArtifactHead(ctx: ProjectContext, path: string, maxBytes: number) {
  const file = await getArtifact(ctx, path);
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of file.body) {
      chunks.push(chunk as Buffer);
      read += (chunk as Buffer).length;
      if (read >= maxBytes) break;
    }
  } finally {
    file.body.destroy();
  }
  const head = Buffer.concat(chunks).subarray(0, maxBytes);
  return { text: head.toString("utf8"), size: file.size, truncated: file.size > head.length };
}

/** The MLmodel file in a model's directory, parsed; null when it is missing, too large or not YAML. */
export async function readMlmodel(ctx: ProjectContext, directory: string): Promise<Mlmodel | null> {
  try {
    const head = await readArtifactHead(ctx, `${directory}/MLmodel`, MLMODEL_MAX_BYTES);
    return head.truncated ? null : parseMlmodel(head.text);
  } catch {
    return null;
  }
}
