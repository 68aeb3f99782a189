import type { ServiceContext } from "../context";
import { env } from "../env.js";

/**
 * An absolute link into Cairn for messages that leave the page (notifications, e-mails, MLflow
 * errors): the request's public origin, else CAIRN_PUBLIC_URL, else the bare path.
 */
export function absoluteUrl(ctx: ServiceContext, path: string): string {
  const configured = env().CAIRN_PUBLIC_URL;
  const origin = ctx.origin ?? (configured ? new URL(configured).origin : "");
  return `${origin}${path}`;
}
