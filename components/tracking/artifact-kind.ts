import Papa from "papaparse";

/**
 * What the artifact browser can preview and how much of a file it reads to do so. Pure functions,
 * unit-tested in tests/unit/artifact-kind.test.ts: the preview never reads more than a bounded
 * head of a file, whatever its size.
 */

export type PreviewKind = "image" | "text" | "json" | "csv" | "markdown" | "none";

const KiB = 1024;
const MiB = 1024 * KiB;

/** How many bytes each kind reads at most; images are shown whole up to their own cap. */
export const PREVIEW_LIMITS = { text: 256 * KiB, csv: 1 * MiB, json: 2 * MiB, markdown: 1 * MiB, image: 20 * MiB } as const;

/** At most this many CSV rows are shown. */
export const CSV_PREVIEW_ROWS = 500;

const IMAGE = ["png", "jpg", "jpeg", "gif", "webp", "svg"];
const MARKDOWN = ["md", "markdown"];
const JSON_EXTENSIONS = ["json", "ipynb"];
const CSV = ["csv", "tsv"];
const TEXT = [
  ..."txt log out err yaml yml toml ini cfg conf properties env".split(" "),
  ..."py pyi ipy r jl scala java kt go rs c h cc cpp hpp cs js mjs cjs ts tsx jsx sh bash zsh ps1 bat sql".split(" "),
  ..."xml html htm css rst tex jsonl ndjson diff patch gitignore dockerignore lock".split(" "),
];
const TEXT_NAMES = ["mlmodel", "mlproject", "dockerfile", "makefile", "license", "readme", "requirements", "procfile"];

export const fileNameOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** The extension of a file name, lower-cased, or "" (a leading dot alone, as in ".env", is a name, not an extension). */
export function extensionOf(path: string): string {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : name.startsWith(".") ? name.slice(1).toLowerCase() : "";
}

/** The kind of preview a file gets, from its name. */
export function previewKindOf(path: string): PreviewKind {
  const extension = extensionOf(path);
  if (IMAGE.includes(extension)) return "image";
  if (MARKDOWN.includes(extension)) return "markdown";
  if (JSON_EXTENSIONS.includes(extension)) return "json";
  if (CSV.includes(extension)) return "csv";
  if (TEXT.includes(extension) || TEXT_NAMES.includes(fileNameOf(path).toLowerCase())) return "text";
  return "none";
}

export type PreviewPlan =
  { kind: "image" } | { kind: "text" | "json" | "csv" | "markdown"; limit: number; note?: string } | { kind: "none"; reason: "type" | "size" | "empty" };

/**
 * How to preview a file of `size` bytes (undefined when the listing does not say): its kind and the
 * most bytes to read. JSON and markdown too large to render whole fall back to the head as text;
 * images too large to show are not loaded at all.
 */
export function planPreview(path: string, size: number | undefined): PreviewPlan {
  const kind = previewKindOf(path);
  if (kind === "none") return { kind, reason: "type" };
  if (size === 0) return { kind: "none", reason: "empty" };
  const known = size ?? Number.POSITIVE_INFINITY;
  switch (kind) {
    case "image":
      return known <= PREVIEW_LIMITS.image ? { kind } : { kind: "none", reason: "size" };
    case "json":
    case "markdown":
      if (known <= PREVIEW_LIMITS[kind]) return { kind, limit: PREVIEW_LIMITS[kind] };
      return { kind: "text", limit: PREVIEW_LIMITS.text, note: `Too large to ${kind === "json" ? "format" : "render"}: showing the start as plain text.` };
    case "csv":
      return { kind, limit: PREVIEW_LIMITS.csv };
    case "text":
      return { kind, limit: PREVIEW_LIMITS.text };
  }
}

/** Text of the first bytes of a file; a character cut at the end of a truncated read is left out. */
export function decodeHead(bytes: Uint8Array, truncated: boolean): string {
  return new TextDecoder("utf-8").decode(bytes, { stream: truncated });
}

/** A NUL in the first few KiB means a binary file, whatever its name says. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8 * KiB).includes(0);
}

export type CsvPreview = { header: string[]; rows: string[][]; moreRows: boolean; errors: number };

/**
 * The first `maxRows` rows of CSV (or TSV) text, under its first row as the header. When the text is
 * only the head of the file, its last line, probably cut, is dropped; `moreRows` says whether the
 * file goes on beyond what is shown.
 */
export function parseCsvHead(text: string, options: { tsv: boolean; truncated: boolean; maxRows?: number }): CsvPreview {
  const maxRows = options.maxRows ?? CSV_PREVIEW_ROWS;
  const body = options.truncated ? text.slice(0, Math.max(0, text.lastIndexOf("\n"))) : text;
  const parsed = Papa.parse<string[]>(body, { delimiter: options.tsv ? "\t" : "", skipEmptyLines: "greedy", preview: maxRows + 2 });
  const [header = [], ...rest] = parsed.data;
  return { header, rows: rest.slice(0, maxRows), moreRows: rest.length > maxRows || options.truncated, errors: parsed.errors.length };
}

/** Bytes in words: "812 B", "4.2 KB", "1.3 GB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
