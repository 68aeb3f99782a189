"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ellipsis, KeyRound, Pencil, Plus, Send, Trash2, Webhook as WebhookIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { MenuContent, MenuItem, MenuRoot, MenuSeparator, MenuTrigger } from "../ui/menu";
import { Time } from "../ui/time";
import { DeliveryLog } from "./delivery-log";
import { DeliveryStatus } from "./delivery-status";
import { SecretReveal } from "./secret-reveal";
import { EVENT_LABELS, type Webhook, type WebhookEvent } from "./types";
import { WebhookDialog } from "./webhook-dialog";

/**
 * The project's webhooks: add, edit, test, rotate, delete, and each one's delivery log. The list
 * starts from the page's data and is polled while a latest delivery is still on its way.
 */
export function WebhooksPanel(props: { slug: string; webhooks: Webhook[]; events: readonly WebhookEvent[] }) {
  const trpc = useTRPC();
  const [adding, setAdding] = useState(false);
  const { data: webhooks } = useQuery(
    trpc.webhook.list.queryOptions(
      { projectSlug: props.slug },
      { initialData: props.webhooks, refetchInterval: (query) => (query.state.data?.some((w) => w.lastDelivery?.status === "pending") ? 3000 : false) },
    ),
  );
  const add = (
    <Button onClick={() => setAdding(true)}>
      <Plus className="size-4" aria-hidden /> Add webhook
    </Button>
  );
  return (
    <Card>
      <CardHeader
        title="Webhooks"
        description="Cairn POSTs a signed JSON message (or a Slack message) to these URLs when models are registered and promoted and alerts open or resolve: trigger CI/CD, post to chat."
        actions={webhooks.length > 0 && add}
      />
      {webhooks.length === 0 ? (
        <div className="p-5">
          <EmptyState
            icon={<WebhookIcon className="size-7" />}
            title="No webhooks yet"
            description="Add one to start a deployment when a version is promoted to production, or to tell a channel when a review is requested."
            action={add}
          />
        </div>
      ) : (
        <ul className="divide-y divide-stone-200 dark:divide-stone-800">
          {webhooks.map((w) => (
            <WebhookItem key={w.id} slug={props.slug} webhook={w} events={props.events} />
          ))}
        </ul>
      )}
      <WebhookDialog slug={props.slug} events={props.events} open={adding} onOpenChange={setAdding} />
    </Card>
  );
}

function WebhookItem(props: { slug: string; webhook: Webhook; events: readonly WebhookEvent[] }) {
  const w = props.webhook;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() });
  const [showLog, setShowLog] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<"rotate" | "delete" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const sendTest = useMutation(trpc.webhook.sendTest.mutationOptions());
  const rotate = useMutation(trpc.webhook.rotateSecret.mutationOptions());
  const remove = useMutation(trpc.webhook.delete.mutationOptions());

  async function test() {
    try {
      await sendTest.mutateAsync({ projectSlug: props.slug, webhookId: w.id });
      toast.success("Test delivery queued: watch it in the log");
      setShowLog(true);
      await refresh();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  async function confirmed() {
    try {
      if (confirm === "rotate") {
        const result = await rotate.mutateAsync({ projectSlug: props.slug, webhookId: w.id });
        setSecret(result.secret);
      } else {
        await remove.mutateAsync({ projectSlug: props.slug, webhookId: w.id });
        toast.success("Webhook deleted");
        await refresh();
      }
      setConfirm(null);
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <li>
      <div className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 flex-1 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <span className="min-w-0 font-mono text-sm font-medium break-all" title={w.url}>
              {w.url}
            </span>
            {w.active ? <Badge tone="green">active</Badge> : <Badge tone="neutral">off</Badge>}
            {w.format === "slack" && <Badge tone="neutral">Slack format</Badge>}
          </div>
          {w.description && <p className="text-sm text-stone-600 dark:text-stone-400">{w.description}</p>}
          <div className="flex flex-wrap gap-1">
            {w.events.map((event) => (
              <Badge key={event} tone="brand" className="font-normal">
                {EVENT_LABELS[event]?.label ?? event}
              </Badge>
            ))}
          </div>
          <p className="flex flex-wrap items-center gap-1.5 text-xs text-stone-500 dark:text-stone-400">
            {w.lastDelivery ? (
              <>
                Last delivery <DeliveryStatus status={w.lastDelivery.status} />
                <code>{w.lastDelivery.event}</code>
                {w.lastDelivery.lastStatusCode != null && <span>· HTTP {w.lastDelivery.lastStatusCode}</span>}
                <span>
                  · <Time value={w.lastDelivery.createdAt} />
                </span>
              </>
            ) : (
              "Nothing delivered yet"
            )}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <Button
            size="sm"
            variant="secondary"
            className="disabled:opacity-50"
            onClick={test}
            pending={sendTest.isPending}
            disabled={!w.active}
            title={w.active ? undefined : "Switch the webhook on to test it"}
          >
            <Send className="size-3.5" aria-hidden /> Send test
          </Button>
          <Button size="sm" variant="ghost" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
            {showLog ? "Hide deliveries" : "Deliveries"}
          </Button>
          <MenuRoot>
            <MenuTrigger asChild>
              <Button size="sm" variant="ghost" aria-label={`More actions for ${w.url}`}>
                <Ellipsis className="size-4" aria-hidden />
              </Button>
            </MenuTrigger>
            <MenuContent>
              <MenuItem onSelect={() => setEditing(true)}>
                <Pencil className="size-4" aria-hidden /> Edit
              </MenuItem>
              <MenuItem onSelect={() => setConfirm("rotate")}>
                <KeyRound className="size-4" aria-hidden /> Rotate secret
              </MenuItem>
              <MenuSeparator />
              <MenuItem onSelect={() => setConfirm("delete")} className="text-red-600 dark:text-red-400">
                <Trash2 className="size-4" aria-hidden /> Delete
              </MenuItem>
            </MenuContent>
          </MenuRoot>
        </div>
      </div>
      {showLog && <DeliveryLog slug={props.slug} webhookId={w.id} active={w.active} />}

      {editing && <WebhookDialog slug={props.slug} events={props.events} webhook={w} open onOpenChange={setEditing} />}
      <Dialog
        open={confirm !== null}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={confirm === "rotate" ? "Rotate the signing secret?" : "Delete this webhook?"}
        description={
          confirm === "rotate"
            ? "Requests are signed with the new secret from now on: update the receiver, or it will refuse them."
            : "Events stop going to this URL, and its delivery log is deleted with it."
        }
      >
        <p className="mb-4 truncate font-mono text-xs text-stone-500">{w.url}</p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirm(null)}>
            Cancel
          </Button>
          <Button variant={confirm === "delete" ? "danger" : "primary"} onClick={confirmed} pending={rotate.isPending || remove.isPending}>
            {confirm === "rotate" ? "Rotate secret" : "Delete webhook"}
          </Button>
        </div>
      </Dialog>
      <Dialog open={secret !== null} onOpenChange={(open) => !open && setSecret(null)} title="New signing secret">
        {secret && (
          <div className="space-y-4">
            <SecretReveal secret={secret} />
            <div className="flex justify-end">
              <Button onClick={() => setSecret(null)}>Done</Button>
            </div>
          </div>
        )}
      </Dialog>
    </li>
  );
}
