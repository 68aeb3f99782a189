import { nameFromParam } from "@/components/registry/format";
import { textDownload } from "@/server/http/download";
import { BROWSER_DOOR, projectRoute } from "@/server/http/project-route";
import { exportModelCard } from "@/server/services/model-cards/markdown";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; name: string; version: string }> };

/** A version's model card as a markdown file (its own sections, the model card's where it has none, and its lineage). */
export async function GET(request: Request, { params }: Context) {
  const { slug, name, version } = await params;
  return projectRoute("project.read", BROWSER_DOOR, request, slug, async (ctx) => {
    const { filename, markdown } = await exportModelCard({ ctx, input: { name: nameFromParam(name), version } });
    return textDownload(markdown, { contentType: "text/markdown; charset=utf-8", filename });
  });
}
