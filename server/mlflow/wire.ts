import { invalid } from "../errors";

/**
 * MLflow's wire format is snake_case JSON; Cairn's services speak camelCase. Every key of every
 * request and reply is renamed (a 1,000-metric batch in, a 100,000-point history out), so the few
 * field names there are are remembered, up to a bound, since user-chosen keys pass through too.
 */
function renamer(convert: (key: string) => string): (key: string) => string {
  const names = new Map<string, string>();
  return (key) => {
    let name = names.get(key);
    if (name === undefined) {
      name = convert(key);
      if (names.size < 1000) names.set(key, name);
    }
    return name;
  };
}
const camel = renamer((key) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
const snake = renamer((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 32;

/** Renames keys depth-first; `path` is the stack of keys and indexes above `value`, spelled out only in an error. */
function mapKeys(value: unknown, rename: (key: string) => string, path: (string | number)[] = []): unknown {
  if (path.length > MAX_DEPTH) throw invalid(`Request JSON is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out[i] = mapKeys(value[i], rename, path);
      path.pop();
    }
    return out;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      setOwn(out, rename(k), mapKeys(v, rename, path));
      path.pop();
    }
    return out;
  }
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
  if (typeof value === "string" && value.includes("\0")) throw invalid(`${spell(path) || "value"} must not contain NUL characters`);
  return value;
}

/** Assignment, except that a `__proto__` key from the client stays a plain field rather than setting the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** `metrics[2].key`, as the error messages name a field. */
function spell(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i ? `.${part}` : part)).join("");
}

/**
 * Reads a JSON request body: at most 16 MiB, valid UTF-8, at most 32 levels deep; keys become
 * camelCase and the deprecated `run_uuid` stands in for a missing `run_id`.
 */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw invalid(`Request body exceeds ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  const bytes = await readCapped(request, MAX_BODY_BYTES);
  if (bytes.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
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
  return withRunIdFallback(mapKeys(parsed, camel) as Record<string, unknown>);
}

async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw invalid(`Request body exceeds ${limit / 1024 / 1024} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * GET parameters: a key given once is a string, a key repeated (`run_ids=a&run_ids=b`) or named in
 * `lists` is an array. Values stay text: boolean fields parse Python's True/False themselves.
 */
export function readQuery(url: URL, lists: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[camel(key)] = values.length > 1 || lists.includes(key) ? values : values[0];
  }
  return withRunIdFallback(out);
}

function withRunIdFallback(input: Record<string, unknown>): Record<string, unknown> {
  if (input.runId === undefined && input.runUuid !== undefined) input.runId = input.runUuid;
  return input;
}

/**
 * Serialises a response the way MLflow's clients parse it: snake_case keys, null and undefined
 * fields left out, NaN and infinities as the strings protobuf JSON uses, `{}` when empty.
 */
export function toWire(value: unknown): unknown {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Number.POSITIVE_INFINITY) return "Infinity";
    if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
    return value;
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Date) return value.getTime();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== null && v !== undefined) setOwn(out, snake(k), toWire(v));
    }
    return out;
  }
  return value;
}
