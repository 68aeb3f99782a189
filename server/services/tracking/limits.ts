import { z } from "zod";
import { parsePythonFloat } from "./python-float";

/**
 * MLflow's validation limits (mlflow/utils/validation.py, current versions), so a batch Cairn accepts
 * is one MLflow accepts, and errors come back as INVALID_PARAMETER_VALUE before anything is written.
 */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  runTagValueLength: 8000,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  runNameLength: 250,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  maxResults: 50_000,
} as const;

/**
 * MLflow's rule for metric, param and tag keys (mlflow/utils/validation.py, on a server that does
 * not run on Windows). Characters: Python's Unicode `\w` (the letters and numbers of every script,
 * and `_`; exactly `\p{L}\p{N}_` for every character Python's Unicode database knows) and
 * `/ . - :` and space. Python's `$` also matches before a final newline, so MLflow takes a key that
 * ends in one `\n`, and so does Cairn.
 */
const KEY_CHARACTERS = /^[\p{L}\p{N}_/.\- :]*\n?$/u;

/**
 * MLflow's other key rule: a key may serve as a file path, so it must be its own normal form
 * (Python's `posixpath.normpath`), and not `.`, nor start with `/` or `..`. That is: no empty,
 * `.` or `..` segment, no leading `/`, no leading `..` (so `..a` is refused and `a/..b` is not).
 */
function isOwnNormalPath(key: string): boolean {
  return !key.startsWith("/") && !key.startsWith("..") && key.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** Whether `text` has at most `max` characters as Python counts them (code points, not UTF-16 units). */
function withinLength(text: string, max: number): boolean {
  if (text.length <= max) return true;
  if (text.length > 2 * max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return false;
  return true;
}

/** What is wrong with a metric, param or tag key by MLflow's rules, or null when nothing is. */
function keyProblem(key: string, what: string): string | null {
  if (key.length === 0) return `${what} key must not be empty`;
  if (!withinLength(key, LIMITS.keyLength)) return `${what} key exceeds the ${LIMITS.keyLength}-character limit`;
  if (!KEY_CHARACTERS.test(key)) return `Invalid ${what.toLowerCase()} key: use letters and digits (of any script), _ - . / : and spaces`;
  if (!isOwnNormalPath(key))
    return `Invalid ${what.toLowerCase()} key: it must not start with '/' or '..', nor contain an empty, '.' or '..' segment between slashes`;
  return null;
}

export function keyField(what: string) {
  return z.string({ error: `${what} key is required` }).superRefine((key, ctx) => {
    const problem = keyProblem(key, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export function valueField(what: string, max: number) {
  return z.string({ error: `${what} value must be a string` }).refine((v) => withinLength(v, max), `${what} value exceeds the ${max}-character limit`);
}

/** int64 from JSON numbers or strings (proto3 JSON allows both); must fit a safe integer. */
export const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/, "must be an integer")]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: "custom", message: "must be an integer between -(2^53-1) and 2^53-1" });
    return z.NEVER;
  }
  return n;
});

// NaN and ±Infinity included, which z.number() refuses: JSON's 1e999 parses to Infinity.
const anyNumber = z.custom<number>((v) => typeof v === "number", "must be a number");

/**
 * A metric value as MLflow's server reads it from JSON: a number; `true` / `false` (protobuf takes
 * them as 1 and 0); or a string as Python's `float()` reads it (`"NaN"`, `"Infinity"`, `" 1"`,
 * `"1_000"`, `"inf"`, but not `"0x10"`). Where MLflow's server answers 200 yet stores 0 (the
 * string `"nan"`, a JSON number beyond the double range such as `1e999`), Cairn keeps the value
 * meant: NaN, ±Infinity.
 */
export const double = z.union([anyNumber, z.boolean(), z.string()], { error: "must be a number" }).transform((v, ctx) => {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = parsePythonFloat(v);
  if (n === null) {
    ctx.addIssue({ code: "custom", message: `'${v}' is not a number` });
    return z.NEVER;
  }
  return n;
});

/** A boolean from JSON, or from a query string as Python sends it (True/False) or as others do (true/1). */
export const booleanField = z
  .union([z.boolean(), z.enum(["True", "False", "true", "false", "1", "0"])])
  .transform((v) => v === true || v === "True" || v === "true" || v === "1");
