import { ListLink } from "../ui/list-link";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { AliasChip, StageBadge, TagChip } from "./badges";
import { HELD_STAGES, modelHref, versionHref } from "./format";
import type { ModelListItem } from "./types";

/** The first line of a markdown description, without its markup, for a one-line summary. */
function summaryOf(markdown: string): string {
  const line =
    markdown
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l && !/^(#+\s*$|---|```|\|)/.test(l)) ?? "";
  return line
    .replace(/^#+\s*/, "")
    .replace(/[*_`>]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .slice(0, 160);
}

/** Registered models with what serves where: aliases, stages, the latest version and frameworks. */
export function ModelList({ slug, models }: { slug: string; models: ModelListItem[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Model</Th>
          <Th className="hidden sm:table-cell">Aliases</Th>
          <Th className="hidden md:table-cell">Stages</Th>
          <Th className="text-right">Latest</Th>
          <Th className="hidden lg:table-cell">Framework</Th>
          <Th className="hidden sm:table-cell text-right">Updated</Th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => {
          const stages = HELD_STAGES.flatMap((stage) => m.latestVersions.filter((v) => v.currentStage === stage).map((v) => ({ stage, version: v.version })));
          const summary = summaryOf(m.description);
          return (
            <tr key={m.name} className="hover:bg-stone-50/70 dark:hover:bg-stone-800/30">
              <Td className="max-w-md">
                <ListLink href={modelHref(slug, m.name)} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                  {m.name}
                </ListLink>
                {summary && <p className="mt-0.5 truncate text-xs text-stone-500 dark:text-stone-400">{summary}</p>}
                {(m.aliases.length > 0 || stages.length > 0) && (
                  <div className="mt-1.5 flex flex-wrap gap-1 md:hidden">
                    {m.aliases.map((a) => (
                      <AliasChip key={a.alias} alias={a.alias} version={a.version} className="sm:hidden" />
                    ))}
                    {stages.map((s) => (
                      <span key={s.stage} className="inline-flex items-center gap-1">
                        <StageBadge stage={s.stage} />
                        <span className="text-xs text-stone-500 tabular-nums">v{s.version}</span>
                      </span>
                    ))}
                  </div>
                )}
                {m.tags.length > 0 && (
                  <div className="mt-1 flex flex-wrap gap-1">
                    {m.tags.slice(0, 4).map((t) => (
                      <TagChip key={t.key} name={t.key} value={t.value} />
                    ))}
                    {m.tags.length > 4 && <span className="text-xs text-stone-400">+{m.tags.length - 4}</span>}
                  </div>
                )}
              </Td>
              <Td className="hidden sm:table-cell">
                {m.aliases.length ? (
                  <div className="flex flex-wrap gap-1">
                    {m.aliases.map((a) => (
                      <AliasChip key={a.alias} alias={a.alias} version={a.version} href={versionHref(slug, m.name, a.version)} />
                    ))}
                  </div>
                ) : (
                  <span className="text-stone-400">—</span>
                )}
              </Td>
              <Td className="hidden md:table-cell">
                {stages.length ? (
                  <div className="flex flex-wrap gap-1">
                    {stages.map((s) => (
                      <ListLink
                        key={s.stage}
                        href={versionHref(slug, m.name, s.version)}
                        className="inline-flex items-center gap-1 rounded-full hover:opacity-80"
                      >
                        <StageBadge stage={s.stage} />
                        <span className="text-xs text-stone-500 tabular-nums">v{s.version}</span>
                      </ListLink>
                    ))}
                  </div>
                ) : (
                  <span className="text-stone-400">—</span>
                )}
              </Td>
              <Td className="text-right whitespace-nowrap tabular-nums">
                {m.latestVersion ? (
                  <ListLink href={versionHref(slug, m.name, m.latestVersion)} className="hover:underline">
                    v{m.latestVersion}
                  </ListLink>
                ) : (
                  <span className="text-stone-400">none</span>
                )}
                <div className="text-xs text-stone-400">
                  {m.versionCount} version{m.versionCount === 1 ? "" : "s"}
                </div>
              </Td>
              <Td className="hidden lg:table-cell">
                {m.frameworks.length ? (
                  <span className="text-xs text-stone-600 dark:text-stone-300">{m.frameworks.join(", ")}</span>
                ) : (
                  <span className="text-stone-400">—</span>
                )}
              </Td>
              <Td className="hidden text-right text-stone-500 whitespace-nowrap sm:table-cell">
                <Time value={new Date(m.lastUpdatedTimestamp)} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
