import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { WebhookEvent, WebhookFormat } from "@/server/db/schema";

type Outputs = inferRouterOutputs<AppRouter>;
export type Webhook = Outputs["webhook"]["list"][number];
export type Delivery = Outputs["webhook"]["deliveries"]["deliveries"][number];
export type { WebhookEvent, WebhookFormat };

/** How each event is named in the settings; a new event fails the type check until it has a line. */
export const EVENT_LABELS: Record<WebhookEvent, { label: string; hint: string }> = {
  "model_version.registered": { label: "Version registered", hint: "A new version of a registered model" },
  "promotion.requested": { label: "Promotion requested", hint: "Someone asks to promote a version to a protected stage or alias" },
  "promotion.approved": { label: "Promotion approved", hint: "A reviewer approves a request" },
  "promotion.rejected": { label: "Promotion rejected", hint: "A reviewer rejects a request" },
  "promotion.applied": { label: "Promotion applied", hint: "A version reaches the stage or alias: deploy it" },
  "promotion.rolled_back": { label: "Rolled back", hint: "A stage or alias returns to its previous version" },
  "alert.opened": { label: "Alert opened", hint: "An alert rule starts to hold: drift, decay, no traffic, a failed run, a metric crossing" },
  "alert.resolved": { label: "Alert resolved", hint: "An open alert's condition no longer holds, or someone resolves it" },
};

/** How each body format is named in the settings. */
export const FORMAT_LABELS: Record<WebhookFormat, { label: string; hint: string }> = {
  cairn: { label: "Cairn JSON", hint: "The signed event with every detail, for CI/CD and scripts" },
  slack: { label: "Slack message", hint: '{ "text": … }: one readable line with a link, for a Slack incoming webhook' },
};
