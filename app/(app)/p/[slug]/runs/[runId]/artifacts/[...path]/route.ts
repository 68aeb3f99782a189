import { artifactResponse } from "@/server/http/artifact-response";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { openRunArtifact } from "@/server/services/tracking/artifacts";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; runId: string; path: string[] }> };

/** Streams a run's artifact to a signed-in member (inline, or a download with ?download=1; byte ranges honoured). */
export async function GET(request: Request, { params }: Context) {
  const { slug, runId, path } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const file = await openRunArtifact({ ctx, input: { runId, path: path.join("/") } });
    return artifactResponse(request, file, path.at(-1) ?? "artifact");
  });
}
