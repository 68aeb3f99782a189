import { monitoringOpenApi } from "@/server/http/monitoring-openapi";
import { publicOrigin } from "@/server/http/public-origin";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** The monitoring API's OpenAPI document, public (it describes the API, not the project), addressed to this project. */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  return Response.json(monitoringOpenApi(publicOrigin(request.headers), slug));
}
