import type { ReactNode } from "react";
import { SignInRedirect } from "@/components/auth/sign-in-redirect";
import { AppShell } from "@/components/shell/app-shell";
import { NotificationBell } from "@/components/shell/notification-bell";
import { load, serverCaller } from "@/server/api/caller";
import { getSessionActor } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  // Redirecting here on the server would lose the address asked for: a layout is not told its path.
  if ((await getSessionActor()).kind !== "user") return <SignInRedirect />;
  const api = await serverCaller();
  const [user, projects] = await load(() => Promise.all([api.account.me(), api.project.list({})]));
  return (
    <AppShell user={user} projects={projects} notifications={<NotificationBell />}>
      {children}
    </AppShell>
  );
}
