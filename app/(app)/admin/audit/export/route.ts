import { requireAdmin } from "@/server/access/authorize";
import { actorForRequest } from "@/server/auth/session";
import { createServiceContext } from "@/server/context";
import { refusal, streamedDownload } from "@/server/http/download";
import { exportInstanceTrail } from "@/server/services/audit-trail/export";

export const dynamic = "force-dynamic";

/** Every audit chain of the instance as JSON Lines, for administrators at the browser. */
export async function GET(request: Request) {
  try {
    const ctx = createServiceContext(await actorForRequest(request.headers, { session: true }));
    requireAdmin(ctx);
    const day = new Date().toISOString().slice(0, 10);
    return streamedDownload(exportInstanceTrail({ ctx }), { contentType: "application/jsonl; charset=utf-8", filename: `cairn-audit-${day}.jsonl` });
  } catch (error) {
    return refusal(error);
  }
}
