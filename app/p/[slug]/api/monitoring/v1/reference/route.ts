import { MONITORING_DOOR, readMonitoringBody } from "@/server/http/monitoring-door";
import { projectRoute } from "@/server/http/project-route";
import { getReference, setReference } from "@/server/services/monitoring/reference";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** Sets a version's reference distribution from posted rows or a file its source run logged. */
export async function PUT(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("monitoring.write", MONITORING_DOOR, request, slug, async (ctx) =>
    Response.json(await setReference(ctx, await readMonitoringBody(request))),
  );
}

/** A version's reference: `?model=<name>&version=<n>`. */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  const query = new URL(request.url).searchParams;
  return projectRoute("project.read", MONITORING_DOOR, request, slug, async (ctx) =>
    Response.json(await getReference(ctx, { model: query.get("model") ?? undefined, version: query.get("version") ?? undefined })),
  );
}
