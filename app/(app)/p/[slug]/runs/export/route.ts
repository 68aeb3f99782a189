import { defaultColumns, effectiveSort, parseViewState, runViewInput } from "@/components/runs-table/view-state";
import { authorizeProject } from "@/server/access/authorize";
import { actorForRequest } from "@/server/auth/session";
import { createServiceContext } from "@/server/context";
import { DomainError } from "@/server/errors";
import { exportRunsCsv } from "@/server/services/tracking/runs-table";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

const statuses: Record<DomainError["kind"], number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 };

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

/**
 * Streams the runs table's current view as CSV to a signed-in member. The query string is the
 * table's own URL state (filter, columns, sort, filters, experiments), so the link is the view.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  try {
    const actor = await actorForRequest(request.headers, { session: true });
    const ctx = await authorizeProject(createServiceContext(actor), slug, "project.read");
    const view = parseViewState(new URL(request.url).searchParams);
    const csv = await exportRunsCsv({
      ctx,
      input: {
        ...runViewInput(view),
        columns: view.columns ?? defaultColumns({ acrossExperiments: true, metricKeys: [] }),
        sort: effectiveSort(view),
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(byteStream(csv), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`${slug}-runs-${day}.csv`)}`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof DomainError) return new Response(error.message, { status: statuses[error.kind] });
    throw error;
  }
}
