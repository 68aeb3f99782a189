import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Cairn's webhook signature: `X-Cairn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, where the
 * HMAC key is the webhook's secret (its UTF-8 bytes) and the message is `<t>.<raw body>`. Signing
 * the timestamp with the body lets a receiver refuse a captured request replayed later.
 */
export const SIGNATURE_HEADER = "X-Cairn-Signature";

/** How far a receiver should let a signature's timestamp drift from its clock, by default. */
const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

/** The header value for `body` sent at `timestamp` (unix seconds). Each attempt signs anew. */
export function signWebhookBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/** The timestamp and `v1` signatures of a header, or null when it is malformed. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a received request the way a receiver should: the header parses, its timestamp is within
 * `toleranceSeconds` of `now` (either way), and one `v1` signature matches the HMAC of the exact raw
 * body, compared in constant time. Pass the body as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now = Math.floor(Date.now() / 1000),
): boolean {
  const parsed = header ? parseSignatureHeader(header) : null;
  if (!parsed) return false;
  if (Math.abs(now - parsed.timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, body), "hex");
  return parsed.signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
}
