import type { Metadata } from "next";
import Link from "next/link";
import { RoleBadge } from "@/components/projects/role-badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { load, serverCaller } from "@/server/api/caller";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: (await params).slug };
}

export default async function ProjectOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const [project, members] = await load(
    () => Promise.all([api.project.get({ projectSlug: slug }), api.member.list({ projectSlug: slug })]),
    `/p/${slug}`,
  );
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader title="About" />
        <CardBody>
          <p className="text-sm whitespace-pre-wrap text-stone-700 dark:text-stone-300">{project.description || "No description yet."}</p>
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Members"
          description={`${members.length} ${members.length === 1 ? "person" : "people"}`}
          actions={
            <Link href={`/p/${slug}/settings/members`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
              Manage
            </Link>
          }
        />
        <CardBody>
          <ul className="space-y-2">
            {members.slice(0, 8).map((m) => (
              <li key={m.userId} className="flex items-center justify-between gap-2 text-sm">
                <span className="truncate">{m.name}</span>
                <RoleBadge role={m.role} />
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
    </div>
  );
}
