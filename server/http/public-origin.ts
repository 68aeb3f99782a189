import { env } from "../env.js";

/**
 * The origin people and clients reach Cairn at: CAIRN_PUBLIC_URL when set (behind a proxy that
 * rewrites Host), otherwise what the request itself says (Host, or X-Forwarded-Host/-Proto).
 */
export function publicOrigin(headers: Headers): string {
  const configured = env().CAIRN_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}

/** The same request, addressed to the public origin (Next.js reports its own bind address). */
export function atPublicOrigin(request: Request): Request {
  const url = new URL(request.url);
  const origin = publicOrigin(request.headers);
  if (url.origin === origin) return request;
  return new Request(origin + url.pathname + url.search, request);
}
