import type { Metadata } from "next";
import { Inbox } from "@/components/collaboration/inbox";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Inbox" };

type Props = { searchParams: Promise<{ filter?: string }> };

export default async function InboxPage({ searchParams }: Props) {
  const unreadOnly = (await searchParams).filter === "unread";
  const api = await serverCaller();
  const first = await load(() => api.notification.list({ unreadOnly, limit: 30 }), unreadOnly ? "/inbox?filter=unread" : "/inbox");
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Inbox" description="Mentions, review requests and activity on what you watch, across your projects." />
      <Inbox key={String(unreadOnly)} unreadOnly={unreadOnly} initial={first} />
    </div>
  );
}
