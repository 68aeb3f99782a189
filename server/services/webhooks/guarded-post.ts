import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, literalAddress, type Network } from "./target-policy";

/** The receiver's answer: only its status line and where a redirect would lead. */
export type ReceiverAnswer = { status: number; statusText: string; location: string | null };

/** The target resolved to an address webhooks may not reach; nothing was sent. */
export class TargetRefused extends Error {}

/**
 * A DNS lookup for the HTTP client that checks every address the name resolves to and hands the
 * socket only checked ones, so the connection goes exactly where the check looked (a name that
 * resolves differently a moment later, DNS rebinding, changes nothing).
 */
function checkedLookup(allowed: readonly Network[]): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = addresses.find((a) => addressRefusal(a.address, allowed) !== null);
      if (refused) {
        const kind = addressRefusal(refused.address, allowed);
        return callback(new TargetRefused(`Not sent: ${hostname} resolves to ${kind}, which webhooks may not reach`), "", 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * POSTs `body` to `url` under the target policy: an address in the URL is checked before
 * connecting, a name at resolution. Redirects are not followed; the response body is not read.
 * Rejects with `TargetRefused`, or with whatever error kept an HTTP answer from arriving.
 */
export function guardedPost(
  url: string,
  { headers, body, timeoutMs, allowed }: { headers: Record<string, string>; body: string; timeoutMs: number; allowed: readonly Network[] },
): Promise<ReceiverAnswer> {
  const target = new URL(url);
  const literal = literalAddress(target);
  const kind = literal ? addressRefusal(literal, allowed) : null;
  if (kind) return Promise.reject(new TargetRefused(`Not sent: ${target.hostname} is ${kind}, which webhooks may not reach`));
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      // A connection of its own: a pooled socket would skip the lookup above.
      agent: false,
      lookup: checkedLookup(allowed),
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.on("response", (response) => {
      resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "", location: response.headers.location ?? null });
      response.destroy();
    });
    request.on("error", reject);
    request.end(body);
  });
}
