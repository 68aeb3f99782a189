import type { ReactNode } from "react";
import { Logo } from "../shell/logo";

export function AuthCard(props: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-gradient-to-b from-stone-100 to-stone-50 px-4 py-12 dark:from-stone-900 dark:to-stone-950">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Logo />
        </div>
        <div className="rounded-xl border border-stone-200 bg-white p-6 shadow-sm dark:border-stone-800 dark:bg-stone-900">
          <h1 className="text-lg font-semibold">{props.title}</h1>
          {props.subtitle && <p className="mt-1 text-sm text-stone-500 dark:text-stone-400">{props.subtitle}</p>}
          <div className="mt-5">{props.children}</div>
        </div>
      </div>
    </main>
  );
}
