import { z } from "zod";

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

// Letters, digits, underscore, dash, dot, slash, space and colon; no "..", no leading "/".
const KEY_PATTERN = /^[\w\-./ :]+$/u;

export function keyField(what: string) {
  return z
    .string({ error: `${what} key is required` })
    .min(1, `${what} key must not be empty`)
    .max(LIMITS.keyLength, `${what} key exceeds the ${LIMITS.keyLength}-character limit`)
    .refine((k) => KEY_PATTERN.test(k), `Invalid ${what.toLowerCase()} key: use letters, digits, _ - . / : and spaces`)
    .refine((k) => !k.startsWith("/") && !k.split("/").includes(".."), `Invalid ${what.toLowerCase()} key: no leading '/' and no '..' segment`);
}

export function valueField(what: string, max: number) {
  return z
    .string({ error: `${what} value must be a string` })
    .max(max, `${what} value exceeds the ${max}-character limit`);
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

const anyNumber = z.custom<number>((v) => typeof v === "number", "must be a number");

/** A double as protobuf JSON writes it: a number, or "NaN" / "Infinity" / "-Infinity" (also when already parsed). */
export const double = z.union([anyNumber, z.string()]).transform((v, ctx) => {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(v);
  if (v.trim() === "" || Number.isNaN(n)) {
    ctx.addIssue({ code: "custom", message: `'${v}' is not a number` });
    return z.NEVER;
  }
  return n;
});

/** A boolean from JSON, or from a query string as Python sends it (True/False) or as others do (true/1). */
export const booleanField = z
  .union([z.boolean(), z.enum(["True", "False", "true", "false", "1", "0"])])
  .transform((v) => v === true || v === "True" || v === "true" || v === "1");
