import { Readable } from "node:stream";
import { parseByteRange, sliceReadable } from "@/server/http/byte-range";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { ARTIFACT_HEADERS } from "@/server/http/security-headers";
import { openRunArtifact } from "@/server/services/tracking/artifacts";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; runId: string; path: string[] }> };

/**
 * Streams a run's artifact to a signed-in member: inline for previews, or as a download with
 * ?download=1. A single byte `Range` is honoured (206), so previews read only the head of a file.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug, runId, path } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const file = await openRunArtifact({ ctx, input: { runId, path: path.join("/") } });
    const range = parseByteRange(request.headers.get("range"), file.size);
    if (range === "unsatisfiable") {
      file.body.destroy();
      return new Response(null, { status: 416, headers: { ...ARTIFACT_HEADERS, "Content-Range": `bytes */${file.size}`, "Accept-Ranges": "bytes" } });
    }
    const download = new URL(request.url).searchParams.has("download");
    const name = path.at(-1) ?? "artifact";
    const body = range ? sliceReadable(file.body, range) : file.body;
    return new Response(Readable.toWeb(body) as ReadableStream, {
      status: range ? 206 : 200,
      headers: {
        ...ARTIFACT_HEADERS,
        "Content-Type": download ? "application/octet-stream" : (file.contentType ?? "application/octet-stream"),
        "Content-Length": String(range ? range.end - range.start + 1 : file.size),
        ...(range && { "Content-Range": `bytes ${range.start}-${range.end}/${file.size}` }),
        "Accept-Ranges": "bytes",
        "Content-Disposition": `${download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(name)}`,
      },
    });
  });
}
