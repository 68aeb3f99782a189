import { defaultColumns, effectiveSort, parseViewState, runViewInput } from "@/components/runs-table/view-state";
import { authorizeProject } from "@/server/access/authorize";
import { actorForRequest } from "@/server/auth/session";
import { createServiceContext } from "@/server/context";
import { refusal, streamedDownload } from "@/server/http/download";
import { exportRunsCsv } from "@/server/services/tracking/runs-table";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

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
    return streamedDownload(csv, { contentType: "text/csv; charset=utf-8", filename: `${slug}-runs-${day}.csv` });
  } catch (error) {
    return refusal(error);
  }
}
