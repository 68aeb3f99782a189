import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { serverCaller } from "@/server/api/caller";
import { getSessionActor } from "@/server/auth/session";
import { env, oidcEnabled } from "@/server/env.js";
import { safeReturnPath } from "@/server/http/return-path";
import { passwordResetAvailable } from "@/server/services/password-resets";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const refusals: Record<string, string> = {
  "not-invited": "Your account is not set up in Cairn yet. Ask a project owner for an invitation link.",
  "no-email": "Your identity provider did not share an e-mail address.",
  unverified: "Your identity provider has not verified your e-mail address.",
  disabled: "This account is disabled.",
  OAuthCallbackError: "Single sign-on failed; please try again.",
  Configuration: "Single sign-on is not configured correctly; contact your administrator.",
  AccessDenied: "Access denied.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  if ((await (await serverCaller()).setup.status()).needsSetup) redirect("/setup");
  if ((await getSessionActor()).kind === "user") redirect(safeReturnPath(params.callbackUrl));
  const config = env();
  return (
    <AuthCard title="Sign in to Cairn" subtitle="Track experiments, review models, ship with confidence.">
      <SignInForm
        callbackUrl={safeReturnPath(params.callbackUrl)}
        oidcName={oidcEnabled(config) ? config.CAIRN_OIDC_NAME : null}
        forgotPassword={passwordResetAvailable()}
        initialError={params.error ? (refusals[params.error] ?? "Sign-in failed; please try again.") : undefined}
      />
    </AuthCard>
  );
}
