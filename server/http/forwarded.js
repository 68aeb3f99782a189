// Which proxies may speak for a client. Only the front server (server/http/next-server.js) applies
// this, before Next.js sees the request, so that everything downstream can read the forwarded
// headers as facts: a client that is not a trusted proxy cannot set them.
import proxyaddr from "proxy-addr";

/** Headers through which a proxy reports the client and the address it was reached at. */
const FORWARDED_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

/**
 * A trust test from CAIRN_TRUSTED_PROXIES: addresses, CIDRs, or proxy-addr's names
 * (`loopback`, `linklocal`, `uniquelocal`).
 * @param {string[]} proxies
 */
export function compileTrust(proxies) {
  return proxyaddr.compile(proxies);
}

/** @param {string | string[] | undefined} value */
function firstValue(value) {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(",")[0]?.trim() || undefined;
}

/**
 * Rewrites the forwarded headers of `req` in place. From a trusted proxy: X-Forwarded-For becomes
 * the one client address found by walking the chain back through trusted hops, and Host/Proto keep
 * the first value the proxy sent. From anyone else: all of them are dropped (Next.js then fills
 * them in from the connection itself).
 * @param {import("node:http").IncomingMessage} req
 * @param {(address: string, hop: number) => boolean} trust
 */
export function applyForwardedHeaders(req, trust) {
  const peer = req.socket.remoteAddress ?? "";
  if (!peer || !trust(peer, 0)) {
    for (const name of FORWARDED_HEADERS) delete req.headers[name];
    return;
  }
  const client = proxyaddr(req, trust);
  const host = firstValue(req.headers["x-forwarded-host"]);
  const proto = firstValue(req.headers["x-forwarded-proto"]);
  for (const name of FORWARDED_HEADERS) delete req.headers[name];
  req.headers["x-forwarded-for"] = client;
  if (host) req.headers["x-forwarded-host"] = host;
  if (proto === "http" || proto === "https") req.headers["x-forwarded-proto"] = proto;
}
