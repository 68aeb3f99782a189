/**
 * A get-history reply streamed as its chunks arrive: `{"metrics":[…]}` with the page token after
 * the points. The service resolved the run before this starts, so a refusal is never half-sent;
 * each chunk is read only when the client has taken the last one.
 */
export function historyResponse(chunks: AsyncGenerator<string, string | undefined>): Response {
  const encoder = new TextEncoder();
  let separator = "";
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('{"metrics":['));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) {
        const token = next.value === undefined ? "" : `,"next_page_token":${JSON.stringify(next.value)}`;
        controller.enqueue(encoder.encode(`]${token}}`));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(separator + next.value));
      separator = ",";
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}
