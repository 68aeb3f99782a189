import { handleArtifactApi } from "@/server/mlflow/artifacts-handler";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; path: string[] }> };

async function handler(request: Request, { params }: Context) {
  const { slug, path } = await params;
  return handleArtifactApi(request, slug, path);
}

export { handler as GET, handler as PUT, handler as POST, handler as DELETE };
