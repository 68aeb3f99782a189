import type { Metadata } from "next";
import { TokensPanel } from "@/components/account/tokens-panel";
import { PageHeader } from "@/components/ui/page-header";
import { load, serverCaller } from "@/server/api/caller";

export const metadata: Metadata = { title: "Access tokens" };

export default async function TokensPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const api = await serverCaller();
  const [tokens, projects] = await load(() => Promise.all([api.token.list(), api.project.list({})]), "/settings/tokens");
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="Access tokens"
        description="Scripts and the MLflow client authenticate with these: MLFLOW_TRACKING_TOKEN, or basic auth with the token as password."
      />
      <TokensPanel tokens={tokens} projects={projects.map((p) => ({ slug: p.slug, name: p.name }))} preselectProject={(await searchParams).project} />
    </div>
  );
}
