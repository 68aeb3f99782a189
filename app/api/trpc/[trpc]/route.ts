import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTrpcContext } from "@/server/api/trpc";
import { actorForRequest } from "@/server/auth/session";
import { publicOrigin } from "@/server/http/public-origin";
import { crossSiteRefusal } from "@/server/http/same-origin";
import { DomainError } from "@/server/errors";

export const dynamic = "force-dynamic";

async function handler(request: Request) {
  const refusal = crossSiteRefusal(request);
  if (refusal) return refusal;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    async createContext() {
      const origin = publicOrigin(request.headers);
      try {
        return createTrpcContext(await actorForRequest(request.headers, { session: true }), origin);
      } catch (error) {
        // A refused token leaves the caller anonymous; procedures that need someone say why.
        if (error instanceof DomainError) return createTrpcContext({ kind: "anonymous", reason: error.message }, origin);
        throw error;
      }
    },
  });
}

export { handler as GET, handler as POST };
