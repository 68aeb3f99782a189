"use client";

import { Check, ChevronsUpDown, FolderOpen, Plus } from "lucide-react";
import { useParams } from "next/navigation";
import { MenuContent, MenuLabel, MenuLink, MenuRoot, MenuSeparator, MenuTrigger } from "../ui/menu";
import type { ShellProject } from "./types";

export function ProjectSwitcher({ projects }: { projects: ShellProject[] }) {
  const params = useParams<{ slug?: string }>();
  const current = projects.find((p) => p.slug === params.slug);
  return (
    <MenuRoot>
      <MenuTrigger className="inline-flex max-w-[16rem] items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium hover:bg-stone-100 dark:hover:bg-stone-800">
        <span className="truncate">{current?.name ?? "Projects"}</span>
        <ChevronsUpDown className="size-3.5 shrink-0 text-stone-400" aria-hidden />
      </MenuTrigger>
      <MenuContent align="start" className="w-72">
        <MenuLabel>Your projects</MenuLabel>
        <div className="max-h-80 overflow-y-auto">
          {projects.length === 0 && <p className="px-2 py-1.5 text-sm text-stone-500">No projects yet</p>}
          {projects.map((p) => (
            <MenuLink key={p.slug} href={`/p/${p.slug}`}>
              <span className="flex-1 truncate">{p.name}</span>
              <span className="text-xs text-stone-400">{p.role}</span>
              {p.slug === current?.slug && <Check className="size-3.5 text-brand-600" aria-label="current" />}
            </MenuLink>
          ))}
        </div>
        <MenuSeparator />
        <MenuLink href="/projects">
          <FolderOpen className="size-4" aria-hidden /> All projects
        </MenuLink>
        <MenuLink href="/projects/new">
          <Plus className="size-4" aria-hidden /> New project
        </MenuLink>
      </MenuContent>
    </MenuRoot>
  );
}
