const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for routes that accept the session cookie: a state-changing request that a browser
 * marks as coming from another site is refused. Scripts (no Origin, no Sec-Fetch-Site) carry tokens
 * instead of cookies and pass.
 */
export function crossSiteRefusal(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const crossSite = site ? site !== "same-origin" && site !== "none" : Boolean(origin && host && originHost(origin) !== host);
  if (!crossSite) return null;
  return Response.json({ error: { message: "Cross-site request refused" } }, { status: 403 });
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
