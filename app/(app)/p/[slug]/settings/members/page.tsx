import { InvitationsList } from "@/components/projects/invitations-list";
import { MembersTable } from "@/components/projects/members-table";
import { load, serverCaller } from "@/server/api/caller";

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const [project, members, me] = await load(
    () => Promise.all([api.project.get({ projectSlug: slug }), api.member.list({ projectSlug: slug }), api.account.me()]),
    `/p/${slug}/settings/members`,
  );
  const canManage = project.permissions.includes("member.manage");
  const invitations = canManage ? await load(() => api.invitation.list({ projectSlug: slug })) : [];
  return (
    <>
      <MembersTable slug={slug} members={members} currentUserId={me.id} canManage={canManage} />
      {canManage && <InvitationsList slug={slug} invitations={invitations} />}
    </>
  );
}
