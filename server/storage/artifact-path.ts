import { invalid } from "../errors";

// S3 caps keys at 1,024 bytes and common filesystems cap a name at 255: refuse what a store would.
const MAX_PATH_BYTES = 1024;
const MAX_NAME_BYTES = 255;

const STILL_ENCODED = /%[0-9a-f]{2}/i;
// C0 controls (NUL included) and DEL: they break filesystems, headers and logs alike.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[a-z]:/i;

/**
 * Turns an artifact path into a store key: in Unicode NFC (so a name typed on macOS and on Linux is
 * one key), repeated and trailing slashes dropped. The path arrives decoded (transports decode URLs
 * exactly once); anything that could leave the artifact root, or that a further decoding could turn
 * into a separator or a dot-segment, is refused with an `invalid` error. "" (the root) stays "".
 */
export function normalizeArtifactPath(raw: string): string {
  if (STILL_ENCODED.test(raw)) throw invalidPath(raw, "it is still percent-encoded (encode a path once)");
  const collapsed = raw.normalize("NFC").replace(/\/{2,}/g, "/");
  const key = collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
  const problem = problemWith(key);
  if (problem) throw invalidPath(raw, problem);
  return key;
}

/**
 * Refuses a key that normalizeArtifactPath would not have produced. Stores call it on every key as
 * a second line of defence; it never decodes, since keys arrive decoded. The root ("") is refused
 * unless allowed, so that no file operation can reach the whole store.
 */
export function assertArtifactKey(key: string, { allowRoot = false } = {}): void {
  if (key === "" && !allowRoot) throw invalid("An artifact path is required");
  const problem = problemWith(key) ?? (key.includes("//") || key.endsWith("/") ? "it has an empty name" : undefined);
  if (problem) throw invalidPath(key, problem);
}

/** Joins normalised key parts (a configured prefix, ids, a path), skipping empty ones and stray slashes. */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split("/"))
    .filter(Boolean)
    .join("/");
}

function problemWith(key: string): string | undefined {
  if (key === "") return undefined;
  if (CONTROL_CHARACTER.test(key)) return key.includes("\0") ? "it contains a NUL byte" : "it contains a control character";
  if (key.includes("\\")) return "it contains a backslash (use / between folders)";
  if (key.startsWith("/")) return "it must be relative, not start with /";
  if (DRIVE_LETTER.test(key)) return "it looks like a Windows drive path";
  if (Buffer.byteLength(key) > MAX_PATH_BYTES) return `it is longer than ${MAX_PATH_BYTES} bytes`;
  for (const name of key.split("/")) {
    if (name === "." || name === "..") return `it contains a "${name}" segment`;
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `a name in it is longer than ${MAX_NAME_BYTES} bytes`;
  }
  return undefined;
}

function invalidPath(raw: string, problem: string) {
  const shown = raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
  return invalid(`Invalid artifact path ${JSON.stringify(shown)}: ${problem}`);
}
