import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "./logo";
import { ProjectSwitcher } from "./project-switcher";
import type { ShellProject } from "./types";
import { UserMenu } from "./user-menu";

/** The frame of every signed-in page: brand, project switcher, notifications area, user menu. */
export function AppShell(props: {
  user: { name: string; email: string; isAdmin: boolean };
  projects: ShellProject[];
  notifications?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-stone-200 bg-white/90 backdrop-blur dark:border-stone-800 dark:bg-stone-950/90">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 sm:px-6">
          <Link href="/projects" aria-label="Cairn home" className="rounded">
            <Logo />
          </Link>
          <span className="text-stone-300 dark:text-stone-700" aria-hidden>
            /
          </span>
          <ProjectSwitcher projects={props.projects} />
          <div className="ml-auto flex items-center gap-1">
            {props.notifications}
            <UserMenu user={props.user} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6">
        {props.children}
      </main>
    </div>
  );
}
