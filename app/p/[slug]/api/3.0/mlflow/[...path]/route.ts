import { errorResponse } from "@/server/mlflow/errors";
import { serverInfo } from "@/server/mlflow/handler";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

/** Only the feature probe of the 3.0 API concerns training scripts; traces and GenAI are out of scope. */
export async function GET(_request: Request, { params }: Context) {
  const { path } = await params;
  if (path.join("/") === "server-info") return serverInfo();
  return errorResponse(404, "ENDPOINT_NOT_FOUND", `No MLflow 3.0 endpoint ${path.join("/")}`);
}
