import type { Metadata } from "next";
import { AccountForms } from "@/components/account/account-forms";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const api = await serverCaller();
  const me = await load(() => api.account.me(), "/settings/account");
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Account" description={me.email} />
      <AccountForms name={me.name} />
    </div>
  );
}
