import { authorizeProject } from "../access/authorize";
import { actorForRequest } from "../auth/session";
import { createServiceContext } from "../context";
import { publicOrigin } from "../http/public-origin";
import { matchEndpoint } from "./endpoints";
import { errorResponse, mlflowError } from "./errors";
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
  try {
    const actor = await actorForRequest(request.headers, { session: false });
    const ctx = await authorizeProject({ ...createServiceContext(actor, undefined, publicOrigin(request.headers)), door: "mlflow" }, slug, match.endpoint.permission);
    const url = new URL(request.url);
    const body = request.method === "GET" ? {} : await readJsonBody(request);
    const input = { ...readQuery(url, match.endpoint.lists), ...body, ...match.params };
    const result = await match.endpoint.handle(ctx, input);
    return Response.json(toWire(result));
  } catch (error) {
    return mlflowError(error, `${request.method} ${path}`);
  }
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
