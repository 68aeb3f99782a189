import { authorizeProject } from "@/server/access/authorize";
import { actorForRequest } from "@/server/auth/session";
import { createServiceContext } from "@/server/context";
import { refusal, streamedDownload } from "@/server/http/download";
import { exportProjectTrail } from "@/server/services/audit-trail/export";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** The project's audit log and registry timeline, with their hash chains, as JSON Lines (audit.read). */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  try {
    const actor = await actorForRequest(request.headers, { session: true });
    const ctx = await authorizeProject(createServiceContext(actor), slug, "audit.read");
    const day = new Date().toISOString().slice(0, 10);
    return streamedDownload(exportProjectTrail({ ctx }), { contentType: "application/jsonl; charset=utf-8", filename: `${slug}-audit-${day}.jsonl` });
  } catch (error) {
    return refusal(error);
  }
}
