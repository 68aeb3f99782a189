import { z } from "zod";

/** Field name → message, for forms and API clients. */
export type FieldErrors = Record<string, string>;

type Kind = "invalid" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "rate_limited";

/**
 * The closed set of failures a service may report. Each transport (tRPC, MLflow REST, pages, CLI)
 * maps them once; anything else is an internal error whose cause is logged and never shown.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: Kind,
    message: string,
    readonly fields?: FieldErrors,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const invalid = (message: string, fields?: FieldErrors) => new DomainError("invalid", message, fields);
export const unauthenticated = (message = "Sign in to continue") => new DomainError("unauthenticated", message);
export const forbidden = (message: string) => new DomainError("forbidden", message);
export const notFound = (message: string) => new DomainError("not_found", message);
export const conflict = (message: string, fields?: FieldErrors) => new DomainError("conflict", message, fields);
export const rateLimited = (message: string, retryAfterSeconds: number) => new DomainError("rate_limited", message, undefined, retryAfterSeconds);

/** Collapses zod issues into one message per field (the first issue wins). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Validates input at a boundary, turning zod failures into an `invalid` error that names each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrorsOf(result.error);
  const summary = Object.entries(fields)
    .map(([field, message]) => (field === "_" ? message : `${field}: ${message}`))
    .join("; ");
  throw invalid(summary, fields);
}

/** Postgres unique violation on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const e = cause as { code?: string; constraint_name?: string };
  return e?.code === "23505" && (!constraint || e.constraint_name === constraint);
}

// PostgreSQL errors that only a client's request can cause (the validators catch the data exceptions
// first; this keeps anything they miss a 400 rather than a 500 that clients would retry).
const BAD_INPUT: Record<string, string> = {
  "22021": "The request contains characters that cannot be stored (such as NUL)",
  "22P05": "The request contains characters that cannot be stored",
  "22001": "A value in the request is too long",
  "22003": "A number in the request is out of range",
  // query_canceled: the statement outran CAIRN_STATEMENT_TIMEOUT_MS. A 4xx on purpose: the same
  // request retried (MLflow's client retries 5xx and 429 for minutes) would cost as much again.
  "57014": "The request took longer than the server allows and was stopped; narrow the filter or ask for fewer results",
};

/** A domain error for what the database refused because of the input or the request's cost, or null. */
export function inputErrorFromDatabase(error: unknown): DomainError | null {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = (cause as { code?: string })?.code;
  return code && BAD_INPUT[code] ? invalid(BAD_INPUT[code]) : null;
}
