import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-medium text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Nothing here</h1>
      <p className="mt-2 max-w-md text-sm text-stone-500">This page does not exist, or it belongs to a project you are not a member of.</p>
      <Link href="/projects" className={buttonClass("secondary", "md", "mt-6")}>
        Back to your projects
      </Link>
    </main>
  );
}
