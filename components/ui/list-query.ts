/** A list page's query string: the first value of a parameter, and links that change some of the filters. Pure. */

/** The first value given for a search parameter, trimmed; `undefined` when it is missing or blank. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/**
 * The list's address with `values` as its query, leaving out what is unset and what equals its
 * default in `defaults`, so the plain path stands for the default view.
 */
export function listHref(path: string, values: Record<string, string | undefined>, defaults: Record<string, string> = {}): string {
  const query = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]) && defaults[e[0]] !== e[1]));
  return query.size ? `${path}?${query}` : path;
}
