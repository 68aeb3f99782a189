"use client";

import { ChevronRight, Download, File, FileCode, FileImage, FileJson, FileSpreadsheet, FileText, Folder } from "lucide-react";
import Link from "next/link";
import { ListLink } from "../ui/list-link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "../ui/button";
import { cn } from "../ui/cn";
import { fileNameOf, formatBytes, previewKindOf, type PreviewKind } from "./artifact-kind";
import { ArtifactPreview, artifactUrl, type ArtifactFile } from "./artifact-preview";

const ICONS: Record<PreviewKind, typeof File> = { image: FileImage, text: FileCode, json: FileJson, csv: FileSpreadsheet, markdown: FileText, none: File };

/**
 * One directory of a run's artifacts: folders open in place (`?path=`), a file opens in the preview
 * below (`?file=`, kept in the address so it can be shared), and every file has a download button.
 * A README in the folder is previewed until another file is chosen.
 */
export function ArtifactList({ slug, runId, files, path }: { slug: string; runId: string; files: ArtifactFile[]; path?: string }) {
  const search = useSearchParams();
  const base = `/p/${slug}/runs/${runId}`;
  const folderHref = (folder: string) => (folder ? `${base}?path=${encodeURIComponent(folder)}` : base);
  const onlyFiles = files.filter((f) => !f.isDir);
  const [selected, setSelected] = useState<string | null>(() => {
    const asked = search.get("file");
    if (asked && onlyFiles.some((f) => f.path === asked)) return asked;
    return onlyFiles.find((f) => /^readme\.(md|markdown)$/i.test(fileNameOf(f.path)))?.path ?? null;
  });
  const current = onlyFiles.find((f) => f.path === selected) ?? null;

  function select(file: string) {
    setSelected(file);
    // The address records the choice without a server round trip (Next.js keeps its router in step).
    const params = new URLSearchParams(search.toString());
    params.set("file", file);
    window.history.replaceState(null, "", `?${params.toString()}`);
  }

  const crumbs = path ? path.split("/") : [];
  return (
    <div>
      <nav aria-label="Folder" className="flex flex-wrap items-center gap-1 border-b border-stone-200 px-5 py-2 text-sm dark:border-stone-800">
        <Link href={folderHref("")} className={cn("font-mono text-xs hover:underline", crumbs.length ? "text-brand-700 dark:text-brand-100" : "font-semibold")}>
          artifacts
        </Link>
        {crumbs.map((name, i) => {
          const last = i === crumbs.length - 1;
          return (
            <span key={i} className="inline-flex items-center gap-1">
              <ChevronRight className="size-3.5 text-stone-400" aria-hidden />
              {last ? (
                <span className="font-mono text-xs font-semibold" aria-current="page">
                  {name}
                </span>
              ) : (
                <Link href={folderHref(crumbs.slice(0, i + 1).join("/"))} className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-100">
                  {name}
                </Link>
              )}
            </span>
          );
        })}
      </nav>
      {files.length === 0 ? (
        <p className="px-5 py-4 text-sm text-stone-500 dark:text-stone-400">No artifacts here.</p>
      ) : (
        <ul className="max-h-72 overflow-y-auto py-1" aria-label="Files">
          {files.map((f) => {
            const name = fileNameOf(f.path);
            if (f.isDir) {
              return (
                <li key={f.path}>
                  <ListLink
                    href={folderHref(f.path)}
                    className="flex items-center gap-2 px-5 py-1.5 text-sm text-brand-700 hover:bg-stone-50 dark:text-brand-100 dark:hover:bg-stone-800/50"
                  >
                    <Folder className="size-4 shrink-0" aria-hidden />
                    <span className="truncate">{name}/</span>
                  </ListLink>
                </li>
              );
            }
            const Icon = ICONS[previewKindOf(f.path)];
            const active = f.path === selected;
            return (
              <li
                key={f.path}
                className={cn(
                  "group flex items-center gap-2 pr-3 hover:bg-stone-50 dark:hover:bg-stone-800/50",
                  active && "bg-brand-50 hover:bg-brand-50 dark:bg-brand-700/20 dark:hover:bg-brand-700/20",
                )}
              >
                <button
                  type="button"
                  onClick={() => select(f.path)}
                  aria-pressed={active}
                  className="flex min-w-0 flex-1 items-center gap-2 py-1.5 pl-5 text-left text-sm"
                >
                  <Icon className={cn("size-4 shrink-0", active ? "text-brand-600" : "text-stone-400")} aria-hidden />
                  <span className={cn("truncate", active && "font-medium")}>{name}</span>
                  <span className="ml-auto shrink-0 pl-3 text-xs text-stone-500 tabular-nums dark:text-stone-400">{formatBytes(f.fileSize)}</span>
                </button>
                <a
                  href={`${artifactUrl(slug, runId, f.path)}?download=1`}
                  download={name}
                  className={buttonClass("ghost", "sm", "h-7 px-1.5 text-stone-500")}
                  aria-label={`Download ${name}`}
                  title="Download"
                >
                  <Download className="size-4" aria-hidden />
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {current ? (
        <div className="border-t border-stone-200 dark:border-stone-800">
          <ArtifactPreview key={current.path} slug={slug} runId={runId} file={current} />
        </div>
      ) : (
        onlyFiles.length > 0 && (
          <p className="border-t border-stone-200 px-5 py-3 text-sm text-stone-500 dark:border-stone-800 dark:text-stone-400">Choose a file to preview it.</p>
        )
      )}
    </div>
  );
}
