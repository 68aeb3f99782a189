import { Download } from "lucide-react";
import { formatBytes } from "../tracking/artifact-kind";
import { versionHref } from "./format";

type File = { path: string; size: number };

/** Where the page's download links point: the version's own file route, whichever store path the files sit under. */
const versionFileHref = (slug: string, name: string, version: number, path: string) =>
  `${versionHref(slug, name, version)}/files/${path.split("/").map(encodeURIComponent).join("/")}?download=1`;

/** The files of a version's model directory, each with its size and a download link. */
export function VersionFiles(props: { slug: string; name: string; version: number; stored: boolean; files: File[]; truncated: boolean }) {
  if (!props.stored) return <p className="px-5 py-4 text-sm text-stone-500">This version&apos;s files are stored outside Cairn.</p>;
  if (!props.files.length) return <p className="px-5 py-4 text-sm text-stone-500">No files were uploaded for this version.</p>;
  return (
    <>
      <ul className="divide-y divide-stone-100 dark:divide-stone-800">
        {props.files.map((f) => (
          <li key={f.path} className="flex items-center gap-3 px-5 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate font-mono text-xs" title={f.path}>
              {f.path}
            </span>
            <span className="text-xs text-stone-500 tabular-nums">{formatBytes(f.size)}</span>
            <a
              href={versionFileHref(props.slug, props.name, props.version, f.path)}
              className="rounded p-1 text-stone-500 hover:bg-stone-100 hover:text-stone-800 dark:hover:bg-stone-800 dark:hover:text-stone-200"
              aria-label={`Download ${f.path}`}
              download
            >
              <Download className="size-4" aria-hidden />
            </a>
          </li>
        ))}
      </ul>
      {props.truncated && (
        <p className="border-t border-stone-100 px-5 py-2 text-xs text-stone-500 dark:border-stone-800">
          Only the first {props.files.length} files are listed.
        </p>
      )}
    </>
  );
}

/** The head of the version's input example, as logged with `log_model(input_example=…)`. */
export function InputExample(props: {
  slug: string;
  name: string;
  version: number;
  example: { path: string; preview: string; size: number; truncated: boolean } | null;
}) {
  if (!props.example) return <p className="px-5 py-4 text-sm text-stone-500">The model was logged without an input example.</p>;
  const { example } = props;
  return (
    <div className="space-y-2 px-5 py-4">
      <pre className="max-h-72 overflow-auto rounded-md bg-stone-950 p-3 text-xs leading-relaxed text-stone-100">
        <code>{example.preview}</code>
      </pre>
      <p className="text-xs text-stone-500">
        <span className="font-mono">{example.path}</span>, {formatBytes(example.size)}
        {example.truncated && ", shown in part"} ·{" "}
        <a href={versionFileHref(props.slug, props.name, props.version, example.path)} className="text-brand-700 hover:underline dark:text-brand-100" download>
          download
        </a>
      </p>
    </div>
  );
}
