// Next.js answers a path with a malformed percent-escape (`%FF`, `%C0%AE`) with a bare 500, which
// the MLflow client retries for minutes. The front server refuses such a path itself, with a 400
// in the shape each door's clients read.

/** @param {string} url the request target, path and query */
export function hasMalformedPath(url) {
  const path = url.split("?")[0] ?? "";
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

const MLFLOW_API = /^\/p\/[^/]+\/api\//;

/**
 * The 400 for a malformed path: MLflow's error shape under a project's MLflow API, JSON under
 * /api/, plain text elsewhere.
 * @param {string} url
 * @returns {{ contentType: string, body: string }}
 */
export function malformedPathReply(url) {
  const message = "The request path holds a malformed percent-escape (it is not valid UTF-8 once decoded).";
  if (MLFLOW_API.test(url)) {
    return { contentType: "application/json", body: JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message }) };
  }
  if (url.startsWith("/api/")) return { contentType: "application/json", body: JSON.stringify({ error: message }) };
  return { contentType: "text/plain; charset=utf-8", body: `${message}\n` };
}
