import { DomainError } from "../errors";

const statuses: Record<DomainError["kind"], number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 };

/** A refused request, for routes that answer in plain text: the message with its status. Anything else is rethrown (a logged 500). */
export function refusal(error: unknown): Response {
  if (error instanceof DomainError) return new Response(error.message, { status: statuses[error.kind] });
  throw error;
}

/** Pulls the next chunk only when the client has read the last one, so a slow download holds one batch. */
function byteStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A generated file streamed as an attachment named `filename`, never cached. */
export function streamedDownload(chunks: AsyncIterable<string>, file: { contentType: string; filename: string }): Response {
  return new Response(byteStream(chunks), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A generated file small enough to hold whole (a model card), as an attachment named `filename`. */
export function textDownload(text: string, file: { contentType: string; filename: string }): Response {
  return streamedDownload(
    (async function* () {
      yield text;
    })(),
    file,
  );
}
