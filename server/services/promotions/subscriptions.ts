import { subscribe } from "../events";
import { guardTargetChange, guardTargetRelease } from "./guard";
import { recheckOpenRequests } from "./recheck-requests";

/**
 * Promotions' part in changes made elsewhere: new evidence turns open requests stale, and a
 * protected target is never moved or released directly (the guard opens a request instead).
 */
export function subscribePromotions(): void {
  subscribe("evidence.changed", (ctx, changed) => recheckOpenRequests(ctx, changed));
  subscribe("target.changing", (ctx, { model, version, target, tagValue }) => guardTargetChange(ctx, model, version, target, tagValue));
  subscribe("target.releasing", (ctx, { model, target }) => guardTargetRelease(ctx, model, target));
}
