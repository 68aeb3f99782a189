import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What the registry procedures return, as the pages and client components receive it. */
type Outputs = inferRouterOutputs<AppRouter>["registry"];

export type ModelListItem = Outputs["models"]["models"][number];
type ModelDetail = Outputs["model"];
export type ModelVersionRow = ModelDetail["versions"][number];
export type ProtectedTarget = ModelDetail["protectedTargets"][number];
export type TimelineEvent = Outputs["timeline"]["events"][number];
export type TimelinePage = Outputs["timeline"];

export type TargetKind = "stage" | "alias" | "tag";
export type Target = { kind: TargetKind; name: string };
