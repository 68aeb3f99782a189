"use client";

import { useQuery } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTRPC } from "../trpc";
import { cn } from "../ui/cn";

/** The header's way to the inbox, with the number of unread notifications (checked every 30 s). */
export function NotificationBell() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const unread = useQuery({ ...trpc.notification.unreadCount.queryOptions(), refetchInterval: 30_000, staleTime: 10_000 });
  const count = unread.data?.count ?? 0;
  const shown = unread.data?.more ? `${count}+` : String(count);
  const label = count ? `Notifications: ${shown} unread` : "Notifications";
  return (
    <Link
      href="/inbox"
      aria-label={label}
      title={label}
      aria-current={pathname === "/inbox" ? "page" : undefined}
      className={cn(
        "relative inline-flex size-8 items-center justify-center rounded-full text-stone-600 hover:bg-stone-100 hover:text-stone-900 dark:text-stone-300 dark:hover:bg-stone-800 dark:hover:text-stone-100",
        pathname === "/inbox" && "bg-stone-100 dark:bg-stone-800",
      )}
    >
      <Bell className="size-[18px]" aria-hidden />
      {count > 0 && (
        <span
          aria-hidden
          className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-brand-600 px-1 text-center text-[10px] leading-4 font-semibold text-white ring-2 ring-white dark:ring-stone-950"
        >
          {shown}
        </span>
      )}
    </Link>
  );
}
