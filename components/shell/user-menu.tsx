"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRound, LogOut, MonitorSmartphone, Moon, Shield, Sun, UserRound } from "lucide-react";
import { useTheme } from "next-themes";
import { toast } from "sonner";
import { signOutAction } from "@/server/auth/actions";
import { errorDetails, useTRPC } from "../trpc";
import { MenuContent, MenuItem, MenuLabel, MenuLink, MenuRoot, MenuSeparator, MenuTrigger } from "../ui/menu";

export function UserMenu({ user }: { user: { name: string; email: string; isAdmin: boolean } }) {
  const trpc = useTRPC();
  const { resolvedTheme, setTheme } = useTheme();
  const everywhere = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  const initials = user.name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();

  async function signOutEverywhere() {
    try {
      await everywhere.mutateAsync();
      await signOutAction();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <MenuRoot>
      <MenuTrigger
        className="inline-flex size-8 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white hover:bg-brand-700"
        aria-label={`Account menu for ${user.name}`}
      >
        {initials || "?"}
      </MenuTrigger>
      <MenuContent>
        <MenuLabel>
          <span className="block font-medium text-stone-900 dark:text-stone-100">{user.name}</span>
          <span className="block truncate">{user.email}</span>
        </MenuLabel>
        <MenuSeparator />
        <MenuLink href="/settings/account">
          <UserRound className="size-4" aria-hidden /> Account
        </MenuLink>
        <MenuLink href="/settings/tokens">
          <KeyRound className="size-4" aria-hidden /> Access tokens
        </MenuLink>
        {user.isAdmin && (
          <MenuLink href="/admin/users">
            <Shield className="size-4" aria-hidden /> Administration
          </MenuLink>
        )}
        <MenuItem onSelect={() => setTheme(resolvedTheme === "dark" ? "light" : "dark")}>
          {resolvedTheme === "dark" ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />}
          {resolvedTheme === "dark" ? "Light theme" : "Dark theme"}
        </MenuItem>
        <MenuSeparator />
        <MenuItem onSelect={() => void signOutAction()}>
          <LogOut className="size-4" aria-hidden /> Sign out
        </MenuItem>
        <MenuItem onSelect={() => void signOutEverywhere()}>
          <MonitorSmartphone className="size-4" aria-hidden /> Sign out everywhere
        </MenuItem>
      </MenuContent>
    </MenuRoot>
  );
}
