"use client";

import { useQuery } from "@tanstack/react-query";
import { Download, ExternalLink, FileQuestion } from "lucide-react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { CommentMarkdown } from "../collaboration/markdown";
import { buttonClass } from "../ui/button";
import { cn } from "../ui/cn";
import { CSV_PREVIEW_ROWS, decodeHead, extensionOf, fileNameOf, formatBytes, looksBinary, parseCsvHead, planPreview, type PreviewPlan } from "./artifact-kind";

export type ArtifactFile = { path: string; isDir: boolean; fileSize?: number };

/** The inline (sandboxed) address of a run's file; `?download=1` makes it an attachment. */
export const artifactUrl = (slug: string, runId: string, path: string) =>
  `/p/${slug}/runs/${runId}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;

/**
 * A preview of one artifact, by type: images as images, text and code in monospace, JSON
 * pretty-printed (collapsible when large), CSV and TSV as a table, markdown rendered and sanitized.
 * Only the head of a file is read (a byte range, checked against the listed size first), so a huge
 * file never reaches the browser whole. Every file can be downloaded.
 */
export function ArtifactPreview({ slug, runId, file }: { slug: string; runId: string; file: ArtifactFile }) {
  const url = artifactUrl(slug, runId, file.path);
  const plan = planPreview(file.path, file.fileSize);
  const name = fileNameOf(file.path);
  return (
    <section aria-label={`Preview of ${name}`} className="min-w-0">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-stone-200 px-5 py-2.5 dark:border-stone-800">
        <h3 className="min-w-0 truncate font-mono text-sm font-medium" title={file.path}>
          {file.path}
        </h3>
        <span className="text-xs text-stone-500 tabular-nums dark:text-stone-400">{formatBytes(file.fileSize)}</span>
        <div className="ml-auto flex items-center gap-2">
          {plan.kind === "image" && (
            <a href={url} target="_blank" rel="noopener noreferrer" className={buttonClass("ghost", "sm")}>
              <ExternalLink className="size-4" aria-hidden /> Open
            </a>
          )}
          <a href={`${url}?download=1`} className={buttonClass("secondary", "sm")} download={name}>
            <Download className="size-4" aria-hidden /> Download
          </a>
        </div>
      </div>
      <div className="p-5">
        <PreviewBody url={url} file={file} plan={plan} />
      </div>
    </section>
  );
}

function PreviewBody({ url, file, plan }: { url: string; file: ArtifactFile; plan: PreviewPlan }) {
  if (plan.kind === "none") {
    const why =
      plan.reason === "empty" ? "This file is empty." : plan.reason === "size" ? "This image is too large to preview." : "No preview for this type of file.";
    return (
      <Message icon={<FileQuestion className="size-6" aria-hidden />}>
        <p>{why}</p>
        {file.fileSize !== undefined && plan.reason !== "empty" && <p className="mt-1 text-xs">{formatBytes(file.fileSize)}; download it to open it.</p>}
      </Message>
    );
  }
  if (plan.kind === "image") return <ImagePreview url={url} name={fileNameOf(file.path)} />;
  return <FetchedPreview url={url} file={file} plan={plan} />;
}

/** Small images (plots saved at low resolution, heat maps) are scaled up whole times, without blur. */
const SMALL_IMAGE = 192;

function ImagePreview({ url, name }: { url: string; name: string }) {
  const image = useRef<HTMLImageElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [failed, setFailed] = useState(false);
  // An image in the server's HTML may finish loading before React is listening.
  useEffect(() => {
    const loaded = image.current;
    if (loaded?.complete && loaded.naturalWidth) setSize({ width: loaded.naturalWidth, height: loaded.naturalHeight });
  }, []);
  if (failed) return <Message>This image could not be shown: download it to open it.</Message>;
  const scale = size && size.width > 0 && size.width < SMALL_IMAGE ? Math.floor(SMALL_IMAGE / size.width) : 1;
  return (
    <figure className="space-y-2">
      <div className="flex justify-center rounded-md bg-[repeating-conic-gradient(#f5f5f4_0_25%,#fff_0_50%)] bg-[length:16px_16px] p-3 dark:bg-[repeating-conic-gradient(#292524_0_25%,#1c1917_0_50%)]">
        {/* The route serves the bytes sandboxed; an <img> never runs an SVG's scripts either. */}
        <img
          ref={image}
          src={url}
          alt={name}
          onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
          onError={() => setFailed(true)}
          className="max-h-[32rem] max-w-full object-contain"
          style={scale > 1 && size ? { width: size.width * scale, imageRendering: "pixelated" } : undefined}
        />
      </div>
      {size && size.width > 0 && (
        <figcaption className="text-center text-xs text-stone-500 tabular-nums dark:text-stone-400">
          {size.width} × {size.height} px{scale > 1 && ` · shown at ${scale}×`}
        </figcaption>
      )}
    </figure>
  );
}

type Head = { bytes: Uint8Array; total: number | null };

/** The first `limit` bytes of a file: a Range request, and the reading stops at `limit` whatever the server sends. */
async function fetchHead(url: string, limit: number, signal: AbortSignal): Promise<Head> {
  const response = await fetch(url, { headers: { Range: `bytes=0-${limit - 1}` }, signal });
  if (response.status === 416) return { bytes: new Uint8Array(0), total: 0 };
  if (!response.ok) throw new Error((await response.text()) || `The file could not be read (HTTP ${response.status})`);
  const range = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "");
  const length = response.headers.get("content-length");
  const total = range ? Number(range[1]) : response.status === 200 && length ? Number(length) : null;
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), total };
  const chunks: Uint8Array[] = [];
  let received = 0;
  while (received < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
  }
  if (received >= limit) await reader.cancel();
  const bytes = new Uint8Array(Math.min(received, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return { bytes, total };
}

function FetchedPreview({ url, file, plan }: { url: string; file: ArtifactFile; plan: Extract<PreviewPlan, { limit: number }> }) {
  const query = useQuery({
    queryKey: ["artifact-head", url, plan.limit],
    queryFn: ({ signal }) => fetchHead(url, plan.limit, signal),
    staleTime: 60_000,
    retry: false,
  });
  if (query.isPending)
    return <div className="h-40 animate-pulse rounded-md bg-stone-100 dark:bg-stone-800/60" role="status" aria-label="Loading the preview" />;
  if (query.isError) {
    return (
      <Message tone="error">
        <p>{query.error.message}</p>
      </Message>
    );
  }
  const { bytes, total } = query.data;
  const size = total ?? file.fileSize ?? bytes.length;
  const truncated = size > bytes.length;
  if (looksBinary(bytes)) return <Message>This file looks binary: download it to open it.</Message>;
  const text = decodeHead(bytes, truncated);
  const note = truncated ? `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(size)}.` : undefined;
  switch (plan.kind) {
    case "markdown":
      return <CommentMarkdown source={text} className="max-w-3xl" />;
    case "json":
      return <JsonPreview text={text} />;
    case "csv":
      return <CsvPreviewTable text={text} tsv={extensionOf(file.path) === "tsv"} truncated={truncated} size={size} />;
    case "text":
      return <TextPreview text={text} notes={[plan.note, note]} />;
  }
}

/** Lines longer than this (minified JSON, one-line logs) are wrapped unless the reader turns it off. */
const WRAP_FROM = 400;

function TextPreview({ text, notes }: { text: string; notes: (string | undefined)[] }) {
  const shown = notes.filter(Boolean);
  const [wrap, setWrap] = useState(() => text.split("\n", 2000).some((line) => line.length > WRAP_FROM));
  return (
    <div className="space-y-2">
      <div className="flex items-start justify-between gap-3">
        <p className="text-xs text-amber-700 dark:text-amber-300">{shown.length > 0 && `${shown.join(" ")} Download the file for all of it.`}</p>
        <label className="inline-flex shrink-0 cursor-pointer items-center gap-1.5 text-xs text-stone-500 select-none dark:text-stone-400">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} className="size-3.5 rounded accent-brand-600" />
          Wrap lines
        </label>
      </div>
      <pre
        className={cn(
          "max-h-[32rem] overflow-auto rounded-md border border-stone-200 bg-stone-50 p-3 font-mono text-xs leading-relaxed text-stone-800 dark:border-stone-800 dark:bg-stone-950 dark:text-stone-200",
          wrap ? "break-all whitespace-pre-wrap" : "whitespace-pre",
        )}
      >
        {text}
      </pre>
    </div>
  );
}

/** Above this many lines, pretty-printed JSON is shown as a tree with its deeper levels folded. */
const JSON_TREE_FROM_LINES = 200;

function JsonPreview({ text }: { text: string }) {
  const parsed = useMemo(() => {
    try {
      const value: unknown = JSON.parse(text);
      return { ok: true as const, value, pretty: JSON.stringify(value, null, 2) };
    } catch (error) {
      return { ok: false as const, message: (error as Error).message };
    }
  }, [text]);
  if (!parsed.ok) return <TextPreview text={text} notes={[`Not valid JSON (${parsed.message}): shown as text.`]} />;
  if (parsed.pretty.split("\n").length <= JSON_TREE_FROM_LINES) return <TextPreview text={parsed.pretty} notes={[]} />;
  return (
    <div className="max-h-[32rem] overflow-auto rounded-md border border-stone-200 bg-stone-50 p-3 font-mono text-xs leading-relaxed dark:border-stone-800 dark:bg-stone-950">
      <JsonNode value={parsed.value} depth={0} />
    </div>
  );
}

const jsonScalar = (value: unknown) =>
  value === null ? (
    <span className="text-stone-500">null</span>
  ) : typeof value === "string" ? (
    <span className="break-all text-emerald-700 dark:text-emerald-300">{JSON.stringify(value)}</span>
  ) : typeof value === "number" ? (
    <span className="text-sky-700 dark:text-sky-300">{String(value)}</span>
  ) : (
    <span className="text-violet-700 dark:text-violet-300">{String(value)}</span>
  );

function JsonNode({ value, depth, label }: { value: unknown; depth: number; label?: ReactNode }) {
  const prefix = label !== undefined && <>{label}: </>;
  if (value === null || typeof value !== "object") {
    return (
      <div>
        {prefix}
        {jsonScalar(value)}
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (!entries.length) {
    return (
      <div>
        {prefix}
        {open}
        {close}
      </div>
    );
  }
  return (
    <details open={depth < 1} className="[&[open]>summary>.fold]:hidden">
      <summary className="cursor-pointer list-inside marker:text-stone-400 hover:bg-stone-100 dark:hover:bg-stone-900">
        {prefix}
        {open}
        <span className="fold text-stone-500">
          {" "}
          {entries.length} {isArray ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"} {close}
        </span>
      </summary>
      <div className="border-l border-stone-200 pl-4 dark:border-stone-800">
        {entries.map(([key, child]) => (
          <JsonNode
            key={key}
            value={child}
            depth={depth + 1}
            label={isArray ? <span className="text-stone-400">{key}</span> : <span className="text-rose-700 dark:text-rose-300">{JSON.stringify(key)}</span>}
          />
        ))}
      </div>
      <div>{close}</div>
    </details>
  );
}

function CsvPreviewTable({ text, tsv, truncated, size }: { text: string; tsv: boolean; truncated: boolean; size: number }) {
  const csv = useMemo(() => parseCsvHead(text, { tsv, truncated }), [text, tsv, truncated]);
  if (!csv.header.length) return <Message>No rows.</Message>;
  const width = Math.max(csv.header.length, ...csv.rows.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => csv.header[i] ?? "");
  return (
    <div className="space-y-2">
      <p className="text-xs text-stone-500 dark:text-stone-400">
        {csv.moreRows
          ? `The first ${csv.rows.length.toLocaleString("en")} rows${truncated ? ` (of a ${formatBytes(size)} file)` : ` of more than ${CSV_PREVIEW_ROWS}`}; download the file for all of them.`
          : `${csv.rows.length.toLocaleString("en")} rows, ${width} columns.`}
        {csv.errors > 0 && " Some lines could not be parsed cleanly."}
      </p>
      <div className="max-h-[32rem] overflow-auto rounded-md border border-stone-200 dark:border-stone-800">
        <table className="w-full border-separate border-spacing-0 text-left font-mono text-xs">
          <thead>
            <tr>
              <th
                scope="col"
                className="sticky top-0 left-0 z-[2] border-b border-stone-200 bg-stone-100 px-2 py-1.5 text-right font-normal text-stone-400 dark:border-stone-800 dark:bg-stone-800"
                aria-label="Row"
              />
              {columns.map((name, i) => (
                <th
                  key={i}
                  scope="col"
                  className="sticky top-0 z-[1] border-b border-stone-200 bg-stone-100 px-3 py-1.5 font-semibold whitespace-nowrap text-stone-700 dark:border-stone-800 dark:bg-stone-800 dark:text-stone-200"
                >
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {csv.rows.map((row, r) => (
              <tr key={r} className="odd:bg-white even:bg-stone-50/70 dark:odd:bg-stone-900 dark:even:bg-stone-900/40">
                <td className="sticky left-0 border-b border-stone-100 bg-inherit px-2 py-1 text-right text-stone-400 tabular-nums dark:border-stone-800/60">
                  {r + 1}
                </td>
                {columns.map((_, c) => (
                  <td key={c} className="max-w-80 truncate border-b border-stone-100 px-3 py-1 whitespace-nowrap dark:border-stone-800/60" title={row[c]}>
                    {row[c] ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Message({ children, icon, tone }: { children: ReactNode; icon?: ReactNode; tone?: "error" }) {
  return (
    <div
      role={tone === "error" ? "alert" : undefined}
      className={
        tone === "error"
          ? "flex flex-col items-center rounded-md border border-dashed border-red-200 px-4 py-8 text-center text-sm text-red-700 dark:border-red-900 dark:text-red-300"
          : "flex flex-col items-center rounded-md border border-dashed border-stone-300 px-4 py-8 text-center text-sm text-stone-500 dark:border-stone-700 dark:text-stone-400"
      }
    >
      {icon && <div className="mb-2 text-stone-400">{icon}</div>}
      {children}
    </div>
  );
}
