"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  AtSign,
  Bell,
  CheckCheck,
  CircleAlert,
  CircleCheck,
  CircleX,
  GitPullRequestArrow,
  Inbox as InboxIcon,
  MessageSquare,
  MessageSquareWarning,
  Package,
  Rocket,
  Undo2,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { ListLink } from "../ui/list-link";
import { useSyncExternalStore } from "react";
import { toast } from "sonner";
import type { InboxItem } from "@/server/services/collaboration/notifications";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { EmptyState } from "../ui/empty-state";
import { Time } from "../ui/time";

const ICONS: Record<string, LucideIcon> = {
  mention: AtSign,
  comment: MessageSquare,
  "promotion.requested": GitPullRequestArrow,
  "promotion.approved": CircleCheck,
  "promotion.rejected": CircleX,
  "promotion.changes_requested": MessageSquareWarning,
  "promotion.applied": Rocket,
  "promotion.rolled_back": Undo2,
  "promotion.stale": CircleAlert,
  "model_version.registered": Package,
};

// The server renders days in UTC; the browser then regroups them in its own time zone.
const noSubscription = () => () => {};
function useTimeZone(): string {
  return useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "UTC",
  );
}

function dayOf(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

function dayLabel(day: string, timeZone: string): string {
  const now = Date.now();
  if (day === dayOf(new Date(now), timeZone)) return "Today";
  if (day === dayOf(new Date(now - 86_400_000), timeZone)) return "Yesterday";
  return new Intl.DateTimeFormat("en", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

type Page = { items: InboxItem[]; nextCursor: string | null };

/**
 * The signed-in person's notifications, grouped by day, unread ones highlighted. Following a
 * notification marks it read; so do the per-item and "Mark all as read" buttons.
 */
export function Inbox({ unreadOnly, initial }: { unreadOnly: boolean; initial: Page }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const timeZone = useTimeZone();
  const input = { unreadOnly, limit: 30 };
  const list = useInfiniteQuery(
    trpc.notification.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      initialData: { pages: [initial], pageParams: [null] },
    }),
  );
  const unread = useQuery({ ...trpc.notification.unreadCount.queryOptions(), refetchInterval: 30_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() });
  const markRead = useMutation(trpc.notification.markRead.mutationOptions({ onSettled: refresh }));
  const markAll = useMutation(
    trpc.notification.markAllRead.mutationOptions({
      onSuccess: ({ marked }) => toast.success(marked ? `Marked ${marked} notification${marked === 1 ? "" : "s"} as read` : "Nothing left to read"),
      onError: (error) => toast.error(errorDetails(error).message),
      onSettled: refresh,
    }),
  );

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const groups: { day: string; items: InboxItem[] }[] = [];
  for (const item of items) {
    const day = dayOf(new Date(item.createdAt), timeZone);
    if (groups.at(-1)?.day !== day) groups.push({ day, items: [] });
    groups.at(-1)!.items.push(item);
  }
  const unreadCount = unread.data?.count ?? items.filter((i) => !i.readAt).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Filter" className="flex gap-1 rounded-lg bg-stone-100 p-1 text-sm dark:bg-stone-900">
          {[
            { href: "/inbox", label: "All", current: !unreadOnly },
            {
              href: "/inbox?filter=unread",
              label: `Unread${unreadCount ? ` (${unread.data?.more ? `${unreadCount}+` : unreadCount})` : ""}`,
              current: unreadOnly,
            },
          ].map((tab) => (
            <Link
              key={tab.href}
              href={tab.href}
              aria-current={tab.current ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-1 font-medium",
                tab.current
                  ? "bg-white text-stone-900 shadow-xs dark:bg-stone-800 dark:text-stone-100"
                  : "text-stone-500 hover:text-stone-800 dark:hover:text-stone-200",
              )}
            >
              {tab.label}
            </Link>
          ))}
        </nav>
        <Button variant="secondary" size="sm" pending={markAll.isPending} disabled={unreadCount === 0} onClick={() => markAll.mutate()}>
          <CheckCheck className="size-4" aria-hidden /> Mark all as read
        </Button>
      </div>

      {items.length === 0 ? (
        <EmptyState
          icon={<InboxIcon className="size-8" aria-hidden />}
          title={unreadOnly ? "You're all caught up" : "No notifications yet"}
          description={
            unreadOnly
              ? "Nothing unread. Older notifications are under All."
              : "You'll hear here when someone mentions you, asks for your review, or comments on a project or model you watch."
          }
        />
      ) : (
        groups.map((group) => (
          <section key={group.day} aria-labelledby={`day-${group.day}`}>
            <h2 id={`day-${group.day}`} className="mb-2 text-xs font-semibold tracking-wide text-stone-500 uppercase">
              {dayLabel(group.day, timeZone)}
            </h2>
            <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white dark:divide-stone-800 dark:border-stone-800 dark:bg-stone-900">
              {group.items.map((item) => (
                <Notification key={item.id} item={item} onRead={() => markRead.mutate({ notificationId: item.id })} />
              ))}
            </ul>
          </section>
        ))
      )}

      {list.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Show older
          </Button>
        </div>
      )}
    </div>
  );
}

function Notification({ item, onRead }: { item: InboxItem; onRead: () => void }) {
  const Icon = ICONS[item.kind] ?? Bell;
  const unread = !item.readAt;
  return (
    <li className={cn("flex gap-3 px-4 py-3", unread && "bg-brand-50/60 dark:bg-brand-700/10")}>
      <span
        className={cn(
          "mt-0.5 inline-flex size-8 shrink-0 items-center justify-center rounded-full",
          unread ? "bg-brand-100 text-brand-700 dark:bg-brand-700/40 dark:text-brand-100" : "bg-stone-100 text-stone-500 dark:bg-stone-800",
        )}
        aria-hidden
      >
        <Icon className="size-4" />
      </span>
      <div className="min-w-0 flex-1">
        <ListLink
          href={item.url}
          onClick={() => unread && onRead()}
          className={cn("block text-sm hover:underline", unread ? "font-semibold text-stone-900 dark:text-stone-50" : "text-stone-700 dark:text-stone-300")}
        >
          {unread && <span className="sr-only">Unread: </span>}
          {item.title}
        </ListLink>
        {item.body && <p className="mt-0.5 line-clamp-2 text-sm break-words text-stone-600 dark:text-stone-400">{item.body}</p>}
        <p className="mt-1 flex flex-wrap gap-x-2 text-xs text-stone-500">
          <span className="font-medium">{item.project.name}</span>
          {item.actorLabel && <span>by {item.actorLabel}</span>}
          <Time value={item.createdAt} />
        </p>
      </div>
      <div className="flex shrink-0 items-start gap-2">
        {unread ? (
          <>
            <span className="mt-2 size-2 rounded-full bg-brand-600" aria-hidden />
            <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={onRead} aria-label={`Mark "${item.title}" as read`}>
              Mark read
            </Button>
          </>
        ) : null}
      </div>
    </li>
  );
}
