import { effectiveSort, parseViewState, runViewInput } from "@/components/runs-table/view-state";
import { streamedDownload } from "@/server/http/download";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { defaultColumns } from "@/server/services/tracking/run-columns";
import { exportRunsCsv } from "@/server/services/tracking/runs-table";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/**
 * Streams the runs table's current view as CSV to a signed-in member. The query string is the
 * table's own URL state (filter, columns, sort, filters, experiments), so the link is the view.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
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
  });
}
