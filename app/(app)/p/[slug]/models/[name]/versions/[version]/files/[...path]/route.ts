import { nameFromParam } from "@/components/registry/format";
import { artifactResponse } from "@/server/http/artifact-response";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { openVersionFile } from "@/server/services/registry/version-artifacts";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; name: string; version: string; path: string[] }> };

/**
 * Streams a file of a model version's directory to a signed-in member, wherever the version's files
 * sit (a run's artifacts, or an MLflow 3 logged model's): the version page's download links.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug, name, version, path } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const file = await openVersionFile({ ctx, input: { name: nameFromParam(name), version, path: path.join("/") } });
    return artifactResponse(request, file, path.at(-1) ?? "file");
  });
}
