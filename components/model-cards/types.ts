import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** A model's or a version's card as `modelCard.get` returns it. */
export type ModelCard = inferRouterOutputs<AppRouter>["modelCard"]["get"];
export type CardSection = ModelCard["sections"][number];
