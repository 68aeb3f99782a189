import Link from "next/link";
import { AliasChip, StageBadge } from "./badges";
import { versionHref } from "./format";

type Registration = { name: string; version: number; stage: string; aliases: string[] };

/** The run page's list of model versions registered from the run, each linked to its version page. */
export function RunRegistrations({ slug, versions }: { slug: string; versions: Registration[] }) {
  if (!versions.length) return <p className="px-5 py-4 text-sm text-stone-500">No model version was registered from this run.</p>;
  return (
    <ul className="divide-y divide-stone-100 dark:divide-stone-800">
      {versions.map((v) => (
        <li key={`${v.name}/${v.version}`} className="flex flex-wrap items-center gap-x-2 gap-y-1 px-5 py-2.5 text-sm">
          <Link href={versionHref(slug, v.name, v.version)} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
            {v.name} <span className="tabular-nums">v{v.version}</span>
          </Link>
          {v.stage !== "None" && <StageBadge stage={v.stage} />}
          {v.aliases.map((a) => (
            <AliasChip key={a} alias={a} />
          ))}
        </li>
      ))}
    </ul>
  );
}
