import type { Metadata } from "next";
import { AccountForms } from "@/components/account/account-forms";
import { EmailPreference } from "@/components/collaboration/email-preference";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const api = await serverCaller();
  const [me, preferences] = await load(() => Promise.all([api.account.me(), api.notification.preferences()]), "/settings/account");
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Account" description={me.email} />
      <AccountForms name={me.name} />
      <div className="mt-6">
        <EmailPreference initial={preferences} />
      </div>
    </div>
  );
}
