import { MONITORING_DOOR, readMonitoringBody } from "@/server/http/monitoring-door";
import { projectRoute } from "@/server/http/project-route";
import { ingestLabels } from "@/server/services/monitoring/ingest";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** Ground-truth labels for stored inference records, joined by record id (openapi/monitoring.yaml). */
export async function POST(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("monitoring.write", MONITORING_DOOR, request, slug, async (ctx) =>
    Response.json(await ingestLabels(ctx, await readMonitoringBody(request))),
  );
}
