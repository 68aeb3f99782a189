import { subscribeAlerts } from "./alerts/subscriptions";
import { sealSubscriptions } from "./events";
import { sealTelemetryListeners } from "./monitoring/telemetry-events";
import { subscribePromotions } from "./promotions/subscriptions";

let done = false;

/**
 * The composition root of the domain: the layers above tracking and the registry subscribe to what
 * those announce. Every door (tRPC, HTTP routes, the CLI, start-up) calls it before serving; it
 * runs once per module instance.
 */
export function wireDomain(): void {
  if (done) return;
  done = true;
  subscribePromotions();
  subscribeAlerts();
  sealSubscriptions();
  sealTelemetryListeners();
}
