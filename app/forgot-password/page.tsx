import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/password-reset-forms";
import { passwordResetAvailable } from "@/server/services/password-resets";

export const metadata: Metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  if (!passwordResetAvailable()) {
    return (
      <AuthCard title="Forgot your password?">
        <div className="space-y-4 text-sm text-stone-600 dark:text-stone-300">
          <p>This Cairn does not send password reset e-mails. Ask an administrator to set a new password for you.</p>
          <p>
            <Link href="/signin" className="font-medium text-brand-700 hover:underline dark:text-brand-100">
              Back to sign-in
            </Link>
          </p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Forgot your password?" subtitle="Enter the e-mail you sign in with; we will send you a link to choose a new password.">
      <ForgotPasswordForm />
    </AuthCard>
  );
}
