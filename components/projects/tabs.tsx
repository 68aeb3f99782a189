"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";

export type Tab = { href: string; label: string; exact?: boolean };

/**
 * A tab's label, dimmed while its section loads: pages render whole on the server (no skeleton to
 * flash), so the tab clicked is what says the click was taken.
 */
function TabLabel({ label }: { label: string }) {
  const { pending } = useLinkStatus();
  return <span className={cn(pending && "animate-pulse opacity-60")}>{label}</span>;
}

/** Section navigation; the current section is marked for assistive technology too. */
export function Tabs({ tabs }: { tabs: Tab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => {
        const active = tab.exact ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap",
              active
                ? "border-brand-600 text-stone-900 dark:text-stone-100"
                : "border-transparent text-stone-500 hover:border-stone-300 hover:text-stone-800 dark:hover:text-stone-200",
            )}
          >
            <TabLabel label={tab.label} />
          </Link>
        );
      })}
    </nav>
  );
}
