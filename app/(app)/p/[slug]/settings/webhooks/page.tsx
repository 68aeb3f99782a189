import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { load, serverCaller } from "@/server/api/caller";
import { WEBHOOK_EVENTS } from "@/server/services/webhooks/webhooks";

export default async function WebhooksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const returnTo = `/p/${slug}/settings/webhooks`;
  const project = await load(() => api.project.get({ projectSlug: slug }), returnTo);
  if (!project.permissions.includes("webhook.manage")) {
    return (
      <Card>
        <CardHeader title="Webhooks" />
        <CardBody className="text-sm text-stone-600 dark:text-stone-400">
          {project.archivedAt ? "This project is archived: unarchive it to manage its webhooks." : "Only maintainers and owners manage webhooks."}
        </CardBody>
      </Card>
    );
  }
  const webhooks = await load(() => api.webhook.list({ projectSlug: slug }), returnTo);
  return <WebhooksPanel slug={slug} webhooks={webhooks} events={WEBHOOK_EVENTS} />;
}
