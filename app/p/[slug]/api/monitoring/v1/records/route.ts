import { MONITORING_DOOR, readMonitoringBody } from "@/server/http/monitoring-door";
import { projectRoute } from "@/server/http/project-route";
import { ingestRecords } from "@/server/services/monitoring/ingest";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** A batch of inference records for a version or alias of a registered model (openapi/monitoring.yaml). */
export async function POST(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("monitoring.write", MONITORING_DOOR, request, slug, async (ctx) =>
    Response.json(await ingestRecords(ctx, await readMonitoringBody(request))),
  );
}
