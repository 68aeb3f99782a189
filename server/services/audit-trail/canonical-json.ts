/**
 * The JSON Canonicalization Scheme (RFC 8785) for JSON values: object members sorted by key
 * (UTF-16 code units, JavaScript's default sort), no whitespace, numbers and strings exactly as
 * `JSON.stringify` writes them (which is what the RFC specifies). Any JCS library in another
 * language produces the same text, so a third party can recompute the audit trail's hashes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Not a JSON number: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`Not a JSON value: ${typeof value}`);
}

/**
 * What a value becomes once stored as jsonb and read back: dates as ISO strings, undefined members
 * dropped, NaN as null. Hashing this form makes the hash of a row independent of how it was written.
 */
export function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
