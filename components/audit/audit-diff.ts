/**
 * What an audit entry changed, field by field, from the `before` and `after` it recorded. Nested
 * objects are flattened to dotted keys (`gates` stays one value: a list is compared whole). Pure,
 * so the audit table and its test share it.
 */
export type FieldChange = { key: string; before?: unknown; after?: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function flatten(value: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value) && (prefix === "" || Object.keys(value).length > 0)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

/** Order-independent equality of JSON values (a key order change is not a change). */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  return Object.is(a, b);
}

/**
 * The fields that differ, in the order they were recorded: changed ones carry both values, those
 * recorded on one side only carry that side. A creation (no `before`) lists what was set; a
 * deletion (no `after`) what was removed. A value that is not an object counts as one unnamed field.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const old = before == null ? new Map<string, unknown>() : flatten(isRecord(before) ? before : { "": before });
  const now = after == null ? new Map<string, unknown>() : flatten(isRecord(after) ? after : { "": after });
  const keys = [...new Set([...old.keys(), ...now.keys()])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const had = old.has(key);
    const has = now.has(key);
    if (had && has && same(old.get(key), now.get(key))) continue;
    changes.push({ key, ...(had && { before: old.get(key) }), ...(has && { after: now.get(key) }) });
  }
  return changes;
}

/** A value in a few characters: strings quoted, objects as JSON, both cut short with an ellipsis. */
export function compactValue(value: unknown, max = 48): string {
  const text = value === undefined ? "—" : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One change as a line: `role: "viewer" → "maintainer"`, `name: "fraud"` when only one side has it. */
export function describeChange(change: FieldChange, whole: { created: boolean; deleted: boolean }): string {
  const label = change.key ? `${change.key}: ` : "";
  if (whole.created) return `${label}${compactValue(change.after)}`;
  if (whole.deleted) return `${label}${compactValue(change.before)}`;
  return `${label}${compactValue(change.before)} → ${compactValue(change.after)}`;
}
