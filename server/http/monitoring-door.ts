import { DomainError, inputErrorFromDatabase, invalid } from "../errors";
import type { RouteDoor } from "./project-route";

type WireError = { status: number; code: string };

const byKind: Record<DomainError["kind"], WireError> = {
  invalid: { status: 400, code: "INVALID_REQUEST" },
  unauthenticated: { status: 401, code: "UNAUTHENTICATED" },
  forbidden: { status: 403, code: "PERMISSION_DENIED" },
  not_found: { status: 404, code: "NOT_FOUND" },
  conflict: { status: 409, code: "CONFLICT" },
  rate_limited: { status: 429, code: "RATE_LIMITED" },
};

/** A batch of 10,000 records, or a reference sample of 100,000 rows, fits well within this. */
export const MAX_MONITORING_BODY_BYTES = 64 * 1024 * 1024;

/** A body past the limit: refused with 413 before it is read whole. */
class BodyTooLarge extends Error {}

const wire = (status: number, code: string, message: string, headers: HeadersInit = {}) => Response.json({ error_code: code, message }, { status, headers });

/** Maps a failure to `{error_code, message}` with its HTTP status; unexpected errors are logged and hidden. */
function monitoringError(failure: unknown, what: string): Response {
  if (failure instanceof BodyTooLarge) return wire(413, "REQUEST_TOO_LARGE", failure.message);
  const error = inputErrorFromDatabase(failure) ?? failure;
  if (error instanceof DomainError) {
    const { status, code } = byKind[error.kind];
    const headers: Record<string, string> = {};
    if (error.kind === "unauthenticated") headers["WWW-Authenticate"] = 'Bearer realm="Cairn"';
    if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
    return wire(status, code, error.message, headers);
  }
  console.error(`Monitoring API ${what} failed:`, error);
  return wire(500, "INTERNAL_ERROR", "Internal error; the cause was logged on the server");
}

/** The production telemetry API: access tokens only (a browser session alone never writes telemetry). */
export const MONITORING_DOOR: RouteDoor = { door: "api", session: false, refuse: monitoringError };

/** The request's JSON body, read up to the limit: 413 past it, 400 when it is not a JSON object. */
export async function readMonitoringBody(request: Request): Promise<unknown> {
  const limit = `Request body exceeds ${MAX_MONITORING_BODY_BYTES / 1024 / 1024} MiB; send smaller batches`;
  if (Number(request.headers.get("content-length") ?? "0") > MAX_MONITORING_BODY_BYTES) throw new BodyTooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_MONITORING_BODY_BYTES) throw new BodyTooLarge(limit);
      chunks.push(chunk);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalid("Request body is not valid UTF-8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw invalid("Request body must be a JSON object");
  return parsed;
}
