import { DomainError, inputErrorFromDatabase } from "../errors";
import type { RouteDoor } from "../http/project-route";

type WireError = { status: number; code: string };

// MLflow's error codes and the HTTP statuses its server sends with them (mlflow/exceptions.py).
// Every client mistake is a 4xx: the Python client retries 5xx for minutes.
const byKind: Record<DomainError["kind"], WireError> = {
  invalid: { status: 400, code: "INVALID_PARAMETER_VALUE" },
  conflict: { status: 400, code: "RESOURCE_ALREADY_EXISTS" },
  not_found: { status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  forbidden: { status: 403, code: "PERMISSION_DENIED" },
  unauthenticated: { status: 401, code: "UNAUTHENTICATED" },
  rate_limited: { status: 429, code: "RESOURCE_EXHAUSTED" },
};

export function errorResponse(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error_code: code, message }, { status, headers });
}

/** The MLflow REST and artifact APIs: access tokens only (a session cookie alone never gets in). */
export const MLFLOW_DOOR: RouteDoor = { door: "mlflow", session: false, refuse: (error, what) => mlflowError(error, what) };

/** Maps a failure to MLflow's `{error_code, message}`; unexpected errors are logged and hidden. */
export function mlflowError(failure: unknown, what: string): Response {
  const error = inputErrorFromDatabase(failure) ?? failure;
  if (error instanceof DomainError) {
    const wire = byKind[error.kind];
    const headers: Record<string, string> = {};
    if (error.kind === "unauthenticated") headers["WWW-Authenticate"] = 'Basic realm="Cairn", charset="UTF-8"';
    if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
    return errorResponse(wire.status, wire.code, error.message, headers);
  }
  console.error(`MLflow API ${what} failed:`, error);
  return errorResponse(500, "INTERNAL_ERROR", "Internal error; the cause was logged on the server");
}
