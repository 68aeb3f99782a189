import superjson from "superjson";

/*
 * tRPC's transformer: superjson's wire format, written faster. superjson's walker copies the path
 * of every value it visits, which made it most of the server's time for a 100-run chart overlay
 * (640,000 numbers). A reply made only of plain objects, arrays, strings, booleans, null, numbers
 * and dates, with no object twice, is written here in one pass with the very annotations superjson
 * writes; anything else goes to superjson itself. Replies read back in place: tRPC parsed them just
 * now, so superjson's defensive deep copy is only cost.
 */

type Serialized = ReturnType<typeof superjson.serialize>;
type Annotations = NonNullable<NonNullable<Serialized["meta"]>["values"]> & Record<string, [string]>;

/** Not a value this writer knows; superjson takes the whole reply. */
const OTHER = Symbol("other");

// superjson's escaping of a key inside a path.
const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

const isPlainObject = (value: object) => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/** superjson's output for `value` when it holds only what this writer knows, else null. */
export function serializePlain(value: unknown): Serialized | null {
  // superjson annotates a root leaf (a bare date, say) differently; it is cheap to leave to it.
  if (value === null || typeof value !== "object" || !(Array.isArray(value) || isPlainObject(value))) return null;
  const annotations: Annotations = {};
  let annotated = false;
  const seen = new Set<object>();

  // The path of a value in superjson's spelling: its container's path (null at the root, as a key
  // may be "") and its key, joined only for a value that is annotated, since a reply's numbers are
  // many and rarely need one.
  const pathOf = (parent: string | null, key: string | number) => (parent === null ? String(key) : `${parent}.${key}`);
  const walk = (v: unknown, parent: string | null, key: string | number | null): unknown => {
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        annotations[pathOf(parent, key!)] = ["number"];
        annotated = true;
        return Object.is(v, -0) ? "-0" : String(v);
      case "object": {
        if (v === null) return null;
        if (v instanceof Date) {
          if (Number.isNaN(v.getTime())) return OTHER;
          annotations[pathOf(parent, key!)] = ["Date"];
          annotated = true;
          return v.toISOString();
        }
        // An object met twice gets superjson's referential-equality annotations.
        if (seen.has(v)) return OTHER;
        seen.add(v);
        const path = key === null ? null : pathOf(parent, key);
        if (Array.isArray(v)) {
          const out = new Array<unknown>(v.length);
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) return OTHER;
            const item = walk(v[i], path, i);
            if (item === OTHER) return OTHER;
            out[i] = item;
          }
          return out;
        }
        if (!isPlainObject(v)) return OTHER;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(v)) {
          if (key === "__proto__" || key === "constructor" || key === "prototype") return OTHER;
          const item = walk((v as Record<string, unknown>)[key], path, escapeKey(key));
          if (item === OTHER) return OTHER;
          out[key] = item;
        }
        return out;
      }
      default:
        return OTHER;
    }
  };

  const json = walk(value, null, null);
  if (json === OTHER) return null;
  return annotated ? { json: json as Serialized["json"], meta: { values: annotations, v: 1 } } : { json: json as Serialized["json"] };
}

export const transformer = {
  serialize: (value: unknown): Serialized => serializePlain(value) ?? superjson.serialize(value),
  deserialize: <T>(payload: Serialized): T => superjson.deserialize<T>(payload, { inPlace: true }),
};
