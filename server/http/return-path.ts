const PLACEHOLDER = "http://return-path.invalid";

/**
 * A return address after sign-in, reduced to a path on this site, or `fallback`. Parsed the way a
 * browser parses a Location header (tabs and newlines dropped, `\` read as `/`), so `//evil`,
 * `/\evil` and `/<tab>/evil` cannot leave the site.
 */
export function safeReturnPath(value: unknown, fallback = "/projects"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER) return fallback;
  return url.pathname + url.search + url.hash;
}
