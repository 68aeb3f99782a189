import type { ProjectContext } from "../../context";
import { modelDirectoryOf, readMlmodel } from "./model-files";

const GENERIC = new Set(["python_function"]);

/** The framework of a model stored in Cairn (its first specific flavor), or null if unknown. */
export async function frameworkAt(ctx: ProjectContext, storageLocation: string | null): Promise<string | null> {
  const directory = modelDirectoryOf(storageLocation);
  if (!directory) return null;
  const mlmodel = await readMlmodel(ctx, directory);
  return mlmodel?.flavors.find((f) => !GENERIC.has(f)) ?? null;
}
