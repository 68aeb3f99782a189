import type { ProjectContext } from "../../context";
import { getArtifact } from "../tracking/artifacts";

const GENERIC = new Set(["python_function"]);

/**
 * The flavors listed in an MLmodel file's top-level `flavors:` mapping (two-space indented keys),
 * read without a YAML library: only that block matters.
 */
function flavorsOf(mlmodel: string): string[] {
  const lines = mlmodel.split(/\r?\n/);
  const start = lines.findIndex((l) => /^flavors:\s*$/.test(l));
  if (start < 0) return [];
  const flavors: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const key = /^ {2}([\w.-]+):/.exec(line)?.[1];
    if (key) flavors.push(key);
  }
  return flavors;
}

/** The framework of a model stored in Cairn (its first specific flavor), or null if unknown. */
export async function frameworkAt(ctx: ProjectContext, storageLocation: string | null): Promise<string | null> {
  const path = storageLocation && /^mlflow-artifacts:\/(.+)$/.exec(storageLocation)?.[1];
  if (!path) return null;
  try {
    const file = await getArtifact(ctx, `${path.replace(/\/+$/, "")}/MLmodel`);
    if (file.size > 1_000_000) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(chunk as Buffer);
    return flavorsOf(Buffer.concat(chunks).toString("utf8")).find((f) => !GENERIC.has(f)) ?? null;
  } catch {
    return null;
  }
}
