import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvitation, InvitationSignUp } from "@/components/auth/invitation-forms";
import { SignInForm } from "@/components/auth/sign-in-form";
import { load, serverCaller } from "@/server/api/caller";
import { getSessionActor } from "@/server/auth/session";
import { env, oidcEnabled } from "@/server/env.js";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

const closed = {
  used: "This invitation has already been used.",
  revoked: "This invitation was withdrawn. Ask the project owner for a new one.",
  expired: "This invitation has expired. Ask the project owner for a new one.",
} as const;

export default async function InvitationPage({ params }: { params: Promise<{ secret: string }> }) {
  const { secret } = await params;
  const api = await serverCaller();
  const invitation = await load(() => api.invitation.preview({ secret }));
  const actor = await getSessionActor();
  const config = env();
  const title = `Join ${invitation.project.name}`;
  const subtitle = `You are invited as ${invitation.role}, for ${invitation.email}.`;

  if (invitation.status !== "open") {
    return (
      <AuthCard title={title}>
        <p className="text-sm text-stone-600 dark:text-stone-300">{closed[invitation.status]}</p>
      </AuthCard>
    );
  }
  if (actor.kind === "user") {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <AcceptInvitation secret={secret} slug={invitation.project.slug} invitedEmail={invitation.email} signedInEmail={actor.user.email} />
      </AuthCard>
    );
  }
  const oidcName = oidcEnabled(config) ? config.CAIRN_OIDC_NAME : null;
  return (
    <AuthCard title={title} subtitle={subtitle}>
      {invitation.accountExists ? (
        <SignInForm callbackUrl={`/invite/${secret}`} oidcName={oidcName} email={invitation.email} />
      ) : (
        <InvitationSignUp secret={secret} email={invitation.email} oidcName={oidcName} />
      )}
    </AuthCard>
  );
}
