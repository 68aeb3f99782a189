import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What the promotion procedures return, as pages and client components receive it. */
type Outputs = inferRouterOutputs<AppRouter>["promotion"];

export type PromotionRequestPage = Outputs["get"];
export type RequestSummary = Outputs["list"][number];
export type RuleRow = Outputs["rules"][number];
export type VersionEvidence = PromotionRequestPage["candidate"];
export type GateResult = PromotionRequestPage["gates"][number];
export type Gate = GateResult["gate"];
export type Review = PromotionRequestPage["reviews"][number];
export type Blocker = PromotionRequestPage["blockers"][number];
