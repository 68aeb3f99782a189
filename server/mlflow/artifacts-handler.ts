import { Readable } from "node:stream";
import { projectRoute } from "../http/project-route";
import { deleteArtifact, getArtifact, listArtifactDirectory, putArtifact } from "../services/tracking/artifacts";
import { errorResponse, MLFLOW_DOOR } from "./errors";
import { toWire } from "./wire";

const MULTIPART_REFUSAL = "Multipart upload is not supported for the current artifact repository";

/**
 * Serves `/p/<slug>/api/2.0/mlflow-artifacts/...`: listing, streamed upload and download, and
 * delete. Multipart endpoints answer 501 so the client falls back to one PUT per file.
 */
export async function handleArtifactApi(request: Request, slug: string, segments: string[]): Promise<Response> {
  const [area, ...rest] = segments;
  if (area === "mpu") return errorResponse(501, "NOT_IMPLEMENTED", MULTIPART_REFUSAL);
  if (area !== "artifacts") return errorResponse(404, "ENDPOINT_NOT_FOUND", `No artifact endpoint ${request.method} ${segments.join("/")}`);
  const path = rest.join("/");

  if (request.method === "GET" && rest.length === 0) {
    return projectRoute("project.read", MLFLOW_DOOR, request, slug, async (ctx) => {
      const files = await listArtifactDirectory(ctx, new URL(request.url).searchParams.get("path") ?? "");
      return Response.json(files.length ? toWire({ files: files.map((f) => ({ path: f.path, isDir: f.isDir, fileSize: f.isDir ? undefined : f.size })) }) : {});
    });
  }
  if (request.method === "GET") {
    return projectRoute("project.read", MLFLOW_DOOR, request, slug, async (ctx) => {
      const file = await getArtifact(ctx, path);
      return new Response(Readable.toWeb(file.body) as ReadableStream, {
        headers: {
          "Content-Type": file.contentType ?? "application/octet-stream",
          "Content-Length": String(file.size),
          "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(rest.at(-1)!)}`,
          "X-Content-Type-Options": "nosniff",
        },
      });
    });
  }
  if (request.method === "PUT") {
    return projectRoute("run.write", MLFLOW_DOOR, request, slug, async (ctx) => {
      await putArtifact(ctx, path, request.body ?? new ReadableStream(), request.headers.get("content-type") ?? undefined);
      return Response.json({});
    });
  }
  if (request.method === "DELETE") {
    return projectRoute("run.delete", MLFLOW_DOOR, request, slug, async (ctx) => {
      await deleteArtifact(ctx, path);
      return Response.json({});
    });
  }
  return errorResponse(405, "BAD_REQUEST", `${request.method} is not supported for artifacts`, { Allow: "GET, PUT, DELETE" });
}
