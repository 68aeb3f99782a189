import { projectRoute } from "../http/project-route";
import { matchEndpoint } from "./endpoints";
import { errorResponse, MLFLOW_DOOR } from "./errors";
import { readJsonBody, readQuery, toWire } from "./wire";

/**
 * Serves `/p/<slug>/api/2.0/mlflow/<path>`: authenticates the access token, admits the caller into
 * the project for the endpoint's permission, decodes the request and encodes the reply as the
 * official MLflow clients expect.
 */
export async function handleMlflowApi(request: Request, slug: string, segments: string[]): Promise<Response> {
  const path = segments.join("/");
  const { match, allowed } = matchEndpoint(request.method, segments);
  if (!match) {
    if (allowed.length) {
      return errorResponse(405, "BAD_REQUEST", `${request.method} is not supported for ${path}; use ${allowed.join(" or ")}`, { Allow: allowed.join(", ") });
    }
    return errorResponse(404, "ENDPOINT_NOT_FOUND", `No MLflow endpoint ${request.method} ${path}`);
  }
  return projectRoute(match.endpoint.permission, MLFLOW_DOOR, request, slug, async (ctx) => {
    const body = request.method === "GET" ? {} : await readJsonBody(request);
    const input = { ...readQuery(new URL(request.url), match.endpoint.lists), ...body, ...match.params };
    const reply = await match.endpoint.handle(ctx, input);
    return reply instanceof Response ? reply : Response.json(toWire(reply));
  });
}

/** MLflow 3's feature probe: Cairn offers neither multipart nor presigned transfers. */
export function serverInfo(): Response {
  return Response.json({
    store_type: "SqlStore",
    workspaces_enabled: false,
    trace_archival_enabled: false,
    multipart_uploads_enabled: false,
    multipart_downloads_enabled: false,
  });
}
