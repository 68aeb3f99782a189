import { streamedDownload } from "@/server/http/download";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { exportProjectTrail } from "@/server/services/audit-trail/export";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** The project's audit log and registry timeline, with their hash chains, as JSON Lines (audit.read). */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  return projectRoute("audit.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const day = new Date().toISOString().slice(0, 10);
    return streamedDownload(exportProjectTrail({ ctx }), { contentType: "application/jsonl; charset=utf-8", filename: `${slug}-audit-${day}.jsonl` });
  });
}
