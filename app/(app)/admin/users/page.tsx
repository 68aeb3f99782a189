import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Users" };
const PAGE = 50;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const params = await searchParams;
  const page = Math.max(0, Number(params.page) || 0);
  const api = await serverCaller();
  const [result, me] = await load(
    () => Promise.all([api.admin.users({ query: params.q, offset: page * PAGE, limit: PAGE }), api.account.me()]),
    "/admin/users",
  );
  return (
    <>
      <PageHeader title="Administration" />
      <AdminNav />
      <UsersTable users={result.users} total={result.total} page={page} pageSize={PAGE} query={params.q ?? ""} currentUserId={me.id} />
    </>
  );
}
