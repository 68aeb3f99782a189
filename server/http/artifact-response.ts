import { Readable } from "node:stream";
import { parseByteRange, sliceReadable } from "./byte-range";
import { ARTIFACT_HEADERS } from "./security-headers";

type OpenedFile = { body: Readable; size: number; contentType?: string };

/**
 * A stored file as the app's routes send it: inline for previews, or as a download with
 * ?download=1. A single byte `Range` is honoured (206), so previews read only the head of a file.
 */
export function artifactResponse(request: Request, file: OpenedFile, name: string): Response {
  const range = parseByteRange(request.headers.get("range"), file.size);
  if (range === "unsatisfiable") {
    file.body.destroy();
    return new Response(null, { status: 416, headers: { ...ARTIFACT_HEADERS, "Content-Range": `bytes */${file.size}`, "Accept-Ranges": "bytes" } });
  }
  const download = new URL(request.url).searchParams.has("download");
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
}
