import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { NotificationBell } from "@/components/shell/notification-bell";
import { load, serverCaller } from "@/server/api/caller";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const api = await serverCaller();
  const [user, projects] = await load(() => Promise.all([api.account.me(), api.project.list({})]));
  return (
    <AppShell user={user} projects={projects} notifications={<NotificationBell />}>
      {children}
    </AppShell>
  );
}
