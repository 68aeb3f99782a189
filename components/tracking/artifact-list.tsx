import { File, Folder } from "lucide-react";
import Link from "next/link";
import { Table, Td } from "../ui/table";

type File = { path: string; isDir: boolean; fileSize?: number };

const size = (bytes?: number) =>
  bytes === undefined ? "" : bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** One directory of a run's artifacts: folders open in place, files download. */
export function ArtifactList({ slug, runId, files, path }: { slug: string; runId: string; files: File[]; path?: string }) {
  const parent = path?.includes("/") ? path.slice(0, path.lastIndexOf("/")) : path ? "" : null;
  const base = `/p/${slug}/runs/${runId}`;
  return (
    <Table>
      <tbody>
        {parent !== null && (
          <tr>
            <Td colSpan={2}>
              <Link href={parent ? `${base}?path=${encodeURIComponent(parent)}` : base} className="text-sm text-brand-700 hover:underline">
                ← ..
              </Link>
            </Td>
          </tr>
        )}
        {files.length === 0 && (
          <tr>
            <Td colSpan={2} className="text-sm text-stone-500">
              No artifacts here.
            </Td>
          </tr>
        )}
        {files.map((f) => (
          <tr key={f.path}>
            <Td>
              {f.isDir ? (
                <Link href={`${base}?path=${encodeURIComponent(f.path)}`} className="inline-flex items-center gap-2 text-brand-700 hover:underline">
                  <Folder className="size-4" aria-hidden /> {f.path.split("/").at(-1)}/
                </Link>
              ) : (
                <a href={`${base}/artifacts/${f.path.split("/").map(encodeURIComponent).join("/")}?download=1`} className="inline-flex items-center gap-2 hover:underline">
                  <File className="size-4 text-stone-400" aria-hidden /> {f.path.split("/").at(-1)}
                </a>
              )}
            </Td>
            <Td className="text-right text-xs text-stone-500 tabular-nums">{size(f.fileSize)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
