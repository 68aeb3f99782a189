import type { ProjectContext } from "../../context";

/**
 * Told after a batch of telemetry (records or labels) has committed, with the model it was for:
 * the layers above monitoring (alert evaluation) subscribe at start-up (server/services/wiring.ts)
 * without monitoring importing them.
 */
type TelemetryListener = (ctx: ProjectContext, modelId: string) => Promise<void>;

const listeners: TelemetryListener[] = [];
let sealed = false;

/** Adds a listener; the composition root calls this at start-up, then `sealTelemetryListeners`. */
export function subscribeTelemetry(listener: TelemetryListener): void {
  listeners.push(listener);
}

/** Marks the listeners complete: from now on telemetry may be announced. */
export function sealTelemetryListeners(): void {
  sealed = true;
}

/**
 * Tells every listener, in order, once the batch has committed. A listener's failure is logged and
 * never fails the batch, which is already stored. Refuses to run before start-up wired its
 * listeners: an alert evaluation that was never subscribed must not be skipped silently.
 */
export async function announceTelemetry(ctx: ProjectContext, modelId: string): Promise<void> {
  if (!sealed) throw new Error("Telemetry announced before start-up wired its listeners (server/services/wiring.ts)");
  for (const listener of listeners) {
    await listener(ctx, modelId).catch((error: unknown) => console.error("cairn: a telemetry listener failed:", error));
  }
}
