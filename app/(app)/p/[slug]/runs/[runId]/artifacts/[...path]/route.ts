import { Readable } from "node:stream";
import { authorizeProject } from "@/server/access/authorize";
import { actorForRequest } from "@/server/auth/session";
import { createServiceContext } from "@/server/context";
import { DomainError } from "@/server/errors";
import { openRunArtifact } from "@/server/services/tracking/artifacts";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; runId: string; path: string[] }> };

const statuses: Record<DomainError["kind"], number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 };

/** Streams a run's artifact to a signed-in member: inline for previews, or as a download with ?download=1. */
export async function GET(request: Request, { params }: Context) {
  const { slug, runId, path } = await params;
  try {
    const actor = await actorForRequest(request.headers, { session: true });
    const ctx = await authorizeProject(createServiceContext(actor), slug, "project.read");
    const file = await openRunArtifact({ ctx, input: { runId, path: path.join("/") } });
    const download = new URL(request.url).searchParams.has("download");
    const name = path.at(-1) ?? "artifact";
    return new Response(Readable.toWeb(file.body) as ReadableStream, {
      headers: {
        // Artifacts are user content: never let the browser run them as this origin's pages.
        "Content-Type": download ? "application/octet-stream" : (file.contentType ?? "application/octet-stream"),
        "Content-Length": String(file.size),
        "Content-Disposition": `${download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(name)}`,
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof DomainError) return new Response(error.message, { status: statuses[error.kind] });
    throw error;
  }
}
