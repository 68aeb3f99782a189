import { Readable } from "node:stream";
import { authorizeProject } from "../access/authorize";
import type { Permission } from "../access/permissions";
import { actorForRequest } from "../auth/session";
import { createServiceContext, type ProjectContext } from "../context";
import { deleteArtifact, getArtifact, listArtifactDirectory, putArtifact } from "../services/tracking/artifacts";
import { errorResponse, mlflowError } from "./errors";
import { toWire } from "./wire";

const MULTIPART_REFUSAL = "Multipart upload is not supported for the current artifact repository";

async function admitted(request: Request, slug: string, permission: Permission): Promise<ProjectContext> {
  const actor = await actorForRequest(request.headers, { session: false });
  return authorizeProject(createServiceContext(actor), slug, permission);
}

/**
 * Serves `/p/<slug>/api/2.0/mlflow-artifacts/...`: listing, streamed upload and download, and
 * delete. Multipart endpoints answer 501 so the client falls back to one PUT per file.
 */
export async function handleArtifactApi(request: Request, slug: string, segments: string[]): Promise<Response> {
  const [area, ...rest] = segments;
  const what = `${request.method} ${segments.join("/")}`;
  try {
    if (area === "mpu") return errorResponse(501, "NOT_IMPLEMENTED", MULTIPART_REFUSAL);
    if (area !== "artifacts") return errorResponse(404, "ENDPOINT_NOT_FOUND", `No artifact endpoint ${what}`);
    const path = rest.join("/");

    if (request.method === "GET" && rest.length === 0) {
      const ctx = await admitted(request, slug, "project.read");
      const dir = new URL(request.url).searchParams.get("path") ?? "";
      const files = await listArtifactDirectory(ctx, dir);
      return Response.json(files.length ? toWire({ files: files.map((f) => ({ path: f.path, isDir: f.isDir, fileSize: f.isDir ? undefined : f.size })) }) : {});
    }
    if (request.method === "GET") {
      const ctx = await admitted(request, slug, "project.read");
      const file = await getArtifact(ctx, path);
      const name = rest.at(-1)!;
      return new Response(Readable.toWeb(file.body) as ReadableStream, {
        headers: {
          "Content-Type": file.contentType ?? "application/octet-stream",
          "Content-Length": String(file.size),
          "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
          "X-Content-Type-Options": "nosniff",
        },
      });
    }
    if (request.method === "PUT") {
      const ctx = await admitted(request, slug, "run.write");
      await putArtifact(ctx, path, request.body ?? new ReadableStream(), request.headers.get("content-type") ?? undefined);
      return Response.json({});
    }
    if (request.method === "DELETE") {
      const ctx = await admitted(request, slug, "run.delete");
      await deleteArtifact(ctx, path);
      return Response.json({});
    }
    return errorResponse(405, "BAD_REQUEST", `${request.method} is not supported for artifacts`, { Allow: "GET, PUT, DELETE" });
  } catch (error) {
    return mlflowError(error, what);
  }
}
