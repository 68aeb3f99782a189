import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Audit log" };

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const before = Number((await searchParams).before) || undefined;
  const api = await serverCaller();
  const page = await load(() => api.admin.audit({ before }), "/admin/audit");
  return (
    <>
      <PageHeader title="Administration" />
      <AdminNav />
      <AuditTable
        title="Instance audit log"
        events={page.events}
        nextBefore={page.nextBefore}
        basePath="/admin/audit"
        exportHref="/admin/audit/export"
        showProject
      />
    </>
  );
}
