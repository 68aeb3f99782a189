/**
 * The client's address, for throttling. The front server (server/http/forwarded.js) has already
 * reduced X-Forwarded-For to the one address that trusted proxies vouch for, or to the peer itself.
 */
export function clientAddress(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.trim() || null;
}
