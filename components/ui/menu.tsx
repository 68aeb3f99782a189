"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ReactNode } from "react";
import { cn } from "./cn";

export const MenuRoot = Menu.Root;
export const MenuTrigger = Menu.Trigger;

export function MenuContent({ children, align = "end", className }: { children: ReactNode; align?: "start" | "end"; className?: string }) {
  return (
    <Menu.Portal>
      <Menu.Content
        align={align}
        sideOffset={6}
        className={cn("z-50 min-w-52 rounded-md border border-stone-200 bg-white p-1 text-sm shadow-lg dark:border-stone-800 dark:bg-stone-900", className)}
      >
        {children}
      </Menu.Content>
    </Menu.Portal>
  );
}

export function MenuItem({ children, onSelect, className }: { children: ReactNode; onSelect?: (e: Event) => void; className?: string }) {
  return (
    <Menu.Item
      onSelect={onSelect}
      className={cn(
        "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none select-none data-[highlighted]:bg-stone-100 dark:data-[highlighted]:bg-stone-800",
        className,
      )}
    >
      {children}
    </Menu.Item>
  );
}

/** A menu entry that navigates; rendered as a real link for middle-click and keyboard users. */
export function MenuLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Menu.Item asChild>
      <a href={href} className="flex items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-stone-100 dark:data-[highlighted]:bg-stone-800">
        {children}
      </a>
    </Menu.Item>
  );
}

export const MenuSeparator = () => <Menu.Separator className="my-1 h-px bg-stone-200 dark:bg-stone-800" />;
export const MenuLabel = ({ children }: { children: ReactNode }) => (
  <Menu.Label className="px-2 py-1.5 text-xs text-stone-500 dark:text-stone-400">{children}</Menu.Label>
);
