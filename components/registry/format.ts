import type { Target, TargetKind } from "./types";

/** Stages a version can be in, and the ones that can be protected and held. */
export const STAGES = ["None", "Staging", "Production", "Archived"] as const;
export const HELD_STAGES = ["Production", "Staging"] as const;

/**
 * A model name from its route segment. Pages receive the segment still encoded ("fraud%2Fnet"),
 * metadata sometimes already decoded; a name with a bare "%" must not throw either way.
 */
export function nameFromParam(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const modelHref = (slug: string, name: string) => `/p/${slug}/models/${encodeURIComponent(name)}`;
export const versionHref = (slug: string, name: string, version: number | string) => `${modelHref(slug, name)}/versions/${version}`;
export const requestHref = (slug: string, number: number) => `/p/${slug}/promotions/${number}`;
export const runHref = (slug: string, runId: string) => `/p/${slug}/runs/${runId}`;
export const loggedModelHref = (slug: string, modelId: string) => `/p/${slug}/logged-models/${encodeURIComponent(modelId)}`;

/**
 * Where a version's source leads in Cairn: MLflow 3's `models:/m-…` to the logged model, `runs:/<run>/…`
 * to the run, and the store URIs MLflow 2.x registers (`mlflow-artifacts:/<experiment>/<run>/artifacts/…`,
 * `…/models/<m-…>/artifacts`) to the same pages.
 */
export function sourceHref(slug: string, source: string): string | null {
  const loggedModel = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(source)?.[1] ?? /^mlflow-artifacts:\/\d+\/models\/(m-[0-9a-f]{32})(?:\/|$)/.exec(source)?.[1];
  if (loggedModel) return loggedModelHref(slug, loggedModel);
  const run = /^runs:\/([0-9a-f]{32})(?:\/|$)/.exec(source)?.[1] ?? /^mlflow-artifacts:\/\d+\/([0-9a-f]{32})\/artifacts(?:\/|$)/.exec(source)?.[1];
  return run ? runHref(slug, run) : null;
}

/** A metric or parameter value for people: integers as they are, others to six significant digits. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return value.toExponential(3);
  return String(Number(value.toPrecision(6)));
}

/** Long numbers inside a server message, shortened to six significant digits ("0.82656832320" → "0.826568"). */
export function tidyNumbers(text: string): string {
  return text.replace(/-?\d+\.\d{7,}(?:e[+-]?\d+)?/gi, (n) => formatValue(Number(n)));
}

/** A difference with its sign always shown: "+0.0123", "−4". */
export function formatDelta(delta: number): string {
  if (delta === 0) return "±0";
  const text = formatValue(Math.abs(delta));
  return `${delta > 0 ? "+" : "−"}${text}`;
}

/** The kind of a target named in a timeline event, when the event does not say. */
export function guessKind(name: string, kind?: unknown): TargetKind {
  if (kind === "stage" || kind === "alias" || kind === "tag") return kind;
  return (STAGES as readonly string[]).includes(name) ? "stage" : "alias";
}

/** How a target reads in a sentence: "Production", "@champion", "tag deploy". */
export function targetText(target: Target): string {
  return target.kind === "stage" ? target.name : target.kind === "alias" ? `@${target.name}` : `tag ${target.name}`;
}

/** The server's refusal of a protected change names the request it opened; this finds its number. */
export function requestNumberIn(message: string): number | null {
  const match = /\/promotions\/(\d+)/.exec(message) ?? /request #(\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** An absolute date and time in the reader's zone ("12 Mar 2025, 10:00"). */
export const formatDateTime = (value: Date | string | number) => dateTime.format(new Date(value));

/** A value for `<input type="datetime-local">` in the reader's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
