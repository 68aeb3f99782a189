import type { ReactNode } from "react";
import { Tabs } from "@/components/projects/tabs";
import { load, serverCaller } from "@/server/api/caller";

export default async function ProjectSettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const project = await load(() => api.project.get({ projectSlug: slug }), `/p/${slug}/settings`);
  const base = `/p/${slug}/settings`;
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <aside className="md:border-r md:border-stone-200 md:pr-4 dark:md:border-stone-800">
        <div className="md:[&_nav]:flex-col md:[&_nav_a]:border-b-0 md:[&_nav_a]:border-l-2">
          <Tabs
            tabs={[
              { href: base, label: "General", exact: true },
              { href: `${base}/members`, label: "Members" },
              { href: `${base}/promotions`, label: "Promotion rules" },
              ...(project.permissions.includes("webhook.manage") ? [{ href: `${base}/webhooks`, label: "Webhooks" }] : []),
              ...(project.permissions.includes("audit.read") ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
            ]}
          />
        </div>
      </aside>
      <div className="min-w-0 space-y-6">{children}</div>
    </div>
  );
}
