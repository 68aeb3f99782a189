import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/password-reset-forms";
import { serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

const closed = {
  used: "This reset link has already been used.",
  expired: "This reset link has expired, or a newer one was sent since.",
  invalid: "This reset link is not valid. Check that you opened the whole link from the e-mail.",
} as const;

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const link = typeof token === "string" && token ? await (await serverCaller()).passwordReset.status({ token }) : { status: "invalid" as const };
  if (link.status !== "open") {
    return (
      <AuthCard title="Choose a new password">
        <div className="space-y-4 text-sm text-stone-600 dark:text-stone-300">
          <p role="alert">{closed[link.status]}</p>
          <p>
            <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline dark:text-brand-100">
              Request a new link
            </Link>
          </p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" subtitle="Your other sessions end once it is set.">
      <ResetPasswordForm token={token as string} email={link.email!} />
    </AuthCard>
  );
}
