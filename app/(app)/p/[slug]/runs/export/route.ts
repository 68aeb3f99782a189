import { streamedDownload } from "@/server/http/download";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { defaultRunColumns } from "@/server/services/tracking/run-default-columns";
import { effectiveSort, parseViewState, runViewInput } from "@/server/services/tracking/run-view-state";
import { exportRunsCsv } from "@/server/services/tracking/runs-table";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/**
 * Streams the runs table's current view as CSV to a signed-in member. The query string is the
 * table's own URL state (filter, columns, sort, filters, experiments), so the link is the view;
 * a view that names no columns exports the table's default columns.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const view = parseViewState(new URL(request.url).searchParams);
    const input = runViewInput(view);
    const columns = view.columns ?? (await defaultRunColumns({ ctx, input: { ...input, sort: view.sort } })).columns;
    const csv = await exportRunsCsv({ ctx, input: { ...input, columns, sort: effectiveSort(view) } });
    const day = new Date().toISOString().slice(0, 10);
    return streamedDownload(csv, { contentType: "text/csv; charset=utf-8", filename: `${slug}-runs-${day}.csv` });
  });
}
