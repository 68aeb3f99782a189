import { NextRequest } from "next/server";
import { env } from "../env.js";

/**
 * The origin people and clients reach Cairn at: CAIRN_PUBLIC_URL when set, otherwise what the
 * request says (Host, or X-Forwarded-Host/-Proto, which the front server keeps only from
 * trusted proxies).
 */
export function publicOrigin(headers: Headers): string {
  const configured = env().CAIRN_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}

/**
 * The same request addressed to the public origin (Next.js reports its own bind address), as a
 * NextRequest, which Auth.js needs, with Host and X-Forwarded-* saying the same, since Auth.js
 * builds its callback URLs from those headers.
 */
export function atPublicOrigin(request: NextRequest): NextRequest {
  const url = new URL(request.url);
  const origin = new URL(publicOrigin(request.headers));
  const headers = new Headers(request.headers);
  headers.set("x-forwarded-host", origin.host);
  headers.set("x-forwarded-proto", origin.protocol.slice(0, -1));
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : request.body;
  return new NextRequest(origin.origin + url.pathname + url.search, { method: request.method, headers, body, duplex: "half" } as ConstructorParameters<
    typeof NextRequest
  >[1]);
}
