import { invalid } from "../errors";

/** MLflow's wire format is snake_case JSON; Cairn's services speak camelCase. */
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
// toWire renames every key of every reply (100,000 points in a long history): remember the few
// field names there are, up to a bound, since records with user-chosen keys pass through too.
const snakeNames = new Map<string, string>();
function snake(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snakeNames.size < 1000) snakeNames.set(key, name);
  }
  return name;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 32;

function mapKeys(value: unknown, rename: (key: string) => string, depth = 0, path = ""): unknown {
  if (depth > MAX_DEPTH) throw invalid(`Request JSON is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((item, i) => mapKeys(item, rename, depth + 1, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), mapKeys(v, rename, depth + 1, path ? `${path}.${k}` : k)]));
  }
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
  if (typeof value === "string" && value.includes("\0")) throw invalid(`${path || "value"} must not contain NUL characters`);
  return value;
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
      if (v !== null && v !== undefined) out[snake(k)] = toWire(v);
    }
    return out;
  }
  return value;
}
