import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Set up Cairn" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await (await serverCaller()).setup.status()).needsSetup) redirect("/signin");
  return (
    <AuthCard title="Welcome to Cairn" subtitle="Create the first administrator account. You can invite your team next.">
      <SetupForm />
    </AuthCard>
  );
}
