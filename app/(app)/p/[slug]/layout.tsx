import type { ReactNode } from "react";
import { Archive } from "lucide-react";
import { WatchButton } from "@/components/collaboration/watch-button";
import { RoleBadge } from "@/components/projects/role-badge";
import { Tabs } from "@/components/projects/tabs";
import { load, serverCaller } from "@/server/api/caller";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const project = await load(() => api.project.get({ projectSlug: slug }), `/p/${slug}`);
  const base = `/p/${project.slug}`;
  return (
    <div>
      <div className="-mt-2 mb-6 border-b border-stone-200 dark:border-stone-800">
        <div className="flex flex-wrap items-center gap-3 pb-3">
          <h1 className="text-xl font-semibold tracking-tight">{project.name}</h1>
          <RoleBadge role={project.role} />
          <span className="font-mono text-xs text-stone-400">{project.slug}</span>
          <div className="ml-auto">
            <WatchButton slug={project.slug} subject={{ type: "project" }} />
          </div>
        </div>
        <Tabs
          tabs={[
            { href: base, label: "Overview", exact: true },
            { href: `${base}/runs`, label: "Runs" },
            { href: `${base}/models`, label: "Models" },
            { href: `${base}/promotions`, label: "Promotions" },
            { href: `${base}/alerts`, label: "Alerts" },
            { href: `${base}/settings`, label: "Settings" },
          ]}
        />
      </div>
      {project.archivedAt && (
        <div className="mb-6 flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
          <Archive className="size-4" aria-hidden /> This project is archived: it is read-only until an owner unarchives it.
        </div>
      )}
      {children}
    </div>
  );
}
