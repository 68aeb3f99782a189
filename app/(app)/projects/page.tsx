import { FolderPlus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RoleBadge } from "@/components/projects/role-badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const includeArchived = (await searchParams).archived === "1";
  const api = await serverCaller();
  const projects = await load(() => api.project.list({ includeArchived }), "/projects");
  return (
    <>
      <PageHeader
        title="Projects"
        description="Experiments, runs and models live in projects. You see the projects you are a member of."
        actions={
          <Link href="/projects/new" className={buttonClass()}>
            <FolderPlus className="size-4" aria-hidden /> New project
          </Link>
        }
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={<FolderPlus className="size-8" />}
          title={includeArchived ? "No projects" : "No active projects yet"}
          description="Create a project, then invite your team or point an MLflow training script at it."
          action={
            <Link href="/projects/new" className={buttonClass()}>
              Create a project
            </Link>
          }
        />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((p) => (
            <li key={p.id}>
              <Link
                href={`/p/${p.slug}`}
                className="block h-full rounded-lg border border-stone-200 bg-white p-4 shadow-xs transition hover:border-brand-500 hover:shadow-sm dark:border-stone-800 dark:bg-stone-900"
              >
                <div className="flex items-start justify-between gap-2">
                  <h2 className="truncate font-semibold">{p.name}</h2>
                  <RoleBadge role={p.role} />
                </div>
                <p className="mt-0.5 font-mono text-xs text-stone-500">{p.slug}</p>
                <p className="mt-3 line-clamp-2 text-sm text-stone-600 dark:text-stone-400">{p.description || "No description"}</p>
                {p.archivedAt && <p className="mt-3 text-xs font-medium text-amber-700">Archived</p>}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-6 text-sm">
        <Link className="text-stone-500 underline-offset-4 hover:underline" href={includeArchived ? "/projects" : "/projects?archived=1"}>
          {includeArchived ? "Hide archived projects" : "Show archived projects"}
        </Link>
      </p>
    </>
  );
}
