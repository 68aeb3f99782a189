import { invalid } from "../errors";

/** Page tokens are opaque base64 JSON, as MLflow's are: an offset, or a service's own cursor. */
export function encodeToken(cursor: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64");
}

/** The cursor a token carries; anything that is not base64 JSON of an object is a client error. */
export function decodeToken(token: string): Record<string, unknown> {
  try {
    const cursor: unknown = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    if (cursor && typeof cursor === "object" && !Array.isArray(cursor)) return cursor as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw invalid("Invalid page_token");
}

export function encodeOffset(offset: number): string {
  return encodeToken({ offset });
}

export function decodeOffset(token: string | undefined): number {
  if (!token) return 0;
  const { offset } = decodeToken(token);
  if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
  throw invalid("Invalid page_token");
}
