"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, History, RefreshCw, RotateCcw } from "lucide-react";
import { Fragment, useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { DeliveryStatus } from "./delivery-status";
import type { Delivery } from "./types";

const PAGE = 20;

/** A webhook's deliveries, newest first, refreshed while some are still on their way. */
export function DeliveryLog(props: { slug: string; webhookId: string; active: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const log = useInfiniteQuery(
    trpc.webhook.deliveries.infiniteQueryOptions(
      { projectSlug: props.slug, webhookId: props.webhookId, limit: PAGE },
      {
        getNextPageParam: (page) => page.nextCursor,
        staleTime: 0,
        refetchInterval: (query) => (query.state.data?.pages.some((p) => p.deliveries.some((d) => d.status === "pending")) ? 3000 : false),
      },
    ),
  );
  const redeliver = useMutation(trpc.webhook.redeliver.mutationOptions());
  const deliveries = log.data?.pages.flatMap((p) => p.deliveries) ?? [];

  async function resend(delivery: Delivery) {
    try {
      await redeliver.mutateAsync({ projectSlug: props.slug, deliveryId: delivery.id });
      toast.success("Queued again as a new delivery");
      await queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() });
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  if (log.isPending) return <p className="px-5 py-4 text-sm text-stone-500">Loading deliveries…</p>;
  if (log.isError) return <p className="px-5 py-4 text-sm text-red-600">{errorDetails(log.error).message}</p>;

  return (
    <div className="border-t border-stone-200 bg-stone-50/60 dark:border-stone-800 dark:bg-stone-950/30">
      <div className="flex items-center justify-between px-5 py-2">
        <h3 className="text-sm font-semibold">Recent deliveries</h3>
        <Button size="sm" variant="ghost" onClick={() => log.refetch()} pending={log.isRefetching} aria-label="Refresh deliveries">
          <RefreshCw className="size-3.5" aria-hidden /> Refresh
        </Button>
      </div>
      {deliveries.length === 0 ? (
        <div className="px-5 pb-5">
          <EmptyState
            icon={<History className="size-6" />}
            title="Nothing delivered yet"
            description="Deliveries appear here when a subscribed event happens. Send a test to check the receiver now."
          />
        </div>
      ) : (
        <Table aria-label="Deliveries">
          <thead>
            <tr>
              <Th className="w-8">
                <span className="sr-only">Details</span>
              </Th>
              <Th>Event</Th>
              <Th>Status</Th>
              <Th className="text-right">Attempts</Th>
              <Th className="hidden sm:table-cell">Response</Th>
              <Th className="hidden text-right sm:table-cell">Duration</Th>
              <Th>Time</Th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => {
              const expanded = open === d.id;
              return (
                <Fragment key={d.id}>
                  <tr className="cursor-pointer hover:bg-white dark:hover:bg-stone-900" onClick={() => setOpen(expanded ? null : d.id)}>
                    <Td>
                      <button type="button" aria-expanded={expanded} aria-label={`${expanded ? "Hide" : "Show"} delivery ${d.id}`} className="text-stone-500">
                        {expanded ? <ChevronDown className="size-4" aria-hidden /> : <ChevronRight className="size-4" aria-hidden />}
                      </button>
                    </Td>
                    <Td>
                      <code className="text-xs">{d.event}</code>
                    </Td>
                    <Td>
                      <DeliveryStatus status={d.status} attempts={d.attempts} />
                    </Td>
                    <Td className="text-right tabular-nums">{d.attempts}</Td>
                    <Td className="hidden font-mono text-xs sm:table-cell">{d.lastStatusCode ?? (d.attempts > 0 && d.lastError ? "error" : "—")}</Td>
                    <Td className="hidden text-right text-xs text-stone-500 tabular-nums sm:table-cell">
                      {d.lastDurationMs == null ? "—" : `${d.lastDurationMs} ms`}
                    </Td>
                    <Td className="whitespace-nowrap text-stone-500">
                      <Time value={d.createdAt} />
                    </Td>
                  </tr>
                  {expanded && (
                    <tr>
                      <td colSpan={7} className="border-b border-stone-200 bg-white px-5 py-4 dark:border-stone-800 dark:bg-stone-900">
                        <DeliveryDetails delivery={d} canRedeliver={props.active} pending={redeliver.isPending} onRedeliver={() => resend(d)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </Table>
      )}
      {log.hasNextPage && (
        <div className="px-5 py-3 text-center">
          <Button size="sm" variant="secondary" onClick={() => log.fetchNextPage()} pending={log.isFetchingNextPage}>
            Older deliveries
          </Button>
        </div>
      )}
    </div>
  );
}

function DeliveryDetails(props: { delivery: Delivery; canRedeliver: boolean; pending: boolean; onRedeliver: () => void }) {
  const d = props.delivery;
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-stone-500">Delivery</dt>
        <dd className="font-mono text-xs break-all">{d.id}</dd>
        {d.lastError && (
          <>
            <dt className="text-stone-500">Last error</dt>
            <dd className="text-red-700 dark:text-red-300">{d.lastError}</dd>
          </>
        )}
        {d.status === "pending" && d.attempts > 0 && (
          <>
            <dt className="text-stone-500">Next attempt</dt>
            <dd>
              not before <Time value={d.nextAttemptAt} />
            </dd>
          </>
        )}
        {d.deliveredAt && (
          <>
            <dt className="text-stone-500">Delivered</dt>
            <dd>
              <Time value={d.deliveredAt} />
            </dd>
          </>
        )}
      </dl>
      <div>
        <div className="mb-1 text-xs font-medium text-stone-500 uppercase">Payload</div>
        <pre className="max-h-72 overflow-auto rounded-md bg-stone-950 p-3 text-xs leading-relaxed text-stone-100">{JSON.stringify(d.payload, null, 2)}</pre>
      </div>
      {d.status !== "pending" && (
        <Button
          size="sm"
          variant="secondary"
          className="disabled:opacity-50"
          onClick={props.onRedeliver}
          pending={props.pending}
          disabled={!props.canRedeliver}
          title={props.canRedeliver ? undefined : "Switch the webhook on to redeliver"}
        >
          <RotateCcw className="size-3.5" aria-hidden /> Redeliver
        </Button>
      )}
    </div>
  );
}
