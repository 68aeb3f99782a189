// The response headers every page and route gets (next.config.js applies them), kept in one place.

/** @param {boolean} development */
const pagePolicy = (development) =>
  [
    "default-src 'self'",
    // Next.js streams hydration data in inline scripts; dev mode also needs eval for fast refresh.
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/**
 * Artifacts are user content (HTML, SVG…): served under a sandbox, so that nothing in them runs as
 * Cairn's origin even when opened directly.
 */
export const ARTIFACT_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  "X-Content-Type-Options": "nosniff",
};

/** Routes that serve artifact bytes: the run page's preview and download, and the MLflow proxy. */
const ARTIFACT_ROUTES = ["/p/:slug/runs/:runId/artifacts/:path*", "/p/:slug/api/2.0/mlflow-artifacts/:path*"];

/** @param {Record<string, string>} headers */
const asList = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * The headers of every reply but artifact bytes.
 * @param {{ development: boolean }} options
 * @returns {Record<string, string>}
 */
export const baseSecurityHeaders = ({ development }) => ({
  "Content-Security-Policy": pagePolicy(development),
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
});

/**
 * Rules for next.config.js `headers()`: when two rules set a header, the later one wins.
 * @param {{ development: boolean }} options
 */
export function securityHeaderRules({ development }) {
  return [
    { source: "/:path*", headers: asList(baseSecurityHeaders({ development })) },
    ...ARTIFACT_ROUTES.map((source) => ({ source, headers: asList(ARTIFACT_HEADERS) })),
  ];
}
