import { AuditTable } from "@/components/audit/audit-table";
import { load, serverCaller } from "@/server/api/caller";

export default async function ProjectAuditPage(props: { params: Promise<{ slug: string }>; searchParams: Promise<{ before?: string }> }) {
  const { slug } = await props.params;
  const before = Number((await props.searchParams).before) || undefined;
  const api = await serverCaller();
  const page = await load(() => api.audit.list({ projectSlug: slug, before }), `/p/${slug}/settings/audit`);
  return (
    <AuditTable
      title="Audit log"
      events={page.events}
      nextBefore={page.nextBefore}
      basePath={`/p/${slug}/settings/audit`}
      exportHref={`/p/${slug}/settings/audit/export`}
    />
  );
}
