import { handleMlflowApi } from "@/server/mlflow/handler";

// MLflow 1.x clients call the registry under /preview.
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; path: string[] }> };

async function handler(request: Request, { params }: Context) {
  const { slug, path } = await params;
  return handleMlflowApi(request, slug, path);
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE };
