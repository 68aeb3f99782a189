"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import type { ChartLayout } from "./chart-sections";

const EMPTY_LAYOUT: ChartLayout = { pinned: [], sections: {} };

/**
 * My chart layout in the project, starting from what the page loaded (if it did), changed optimistically and
 * saved whole (so a retried save changes nothing). Without `layout.save` (an archived project)
 * changes last until the page is left.
 */
export function useChartLayout(slug: string, initial: ChartLayout | undefined, canSave: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.chartLayout.get.queryOptions({ projectSlug: slug }, { initialData: initial, staleTime: initial ? Infinity : 60_000 });
  const layout = useQuery(options).data ?? EMPTY_LAYOUT;
  const save = useMutation(trpc.chartLayout.save.mutationOptions({ onError: (error) => toast.error(`Layout not saved: ${errorDetails(error).message}`) }));

  const update = (next: ChartLayout) => {
    queryClient.setQueryData(options.queryKey, next);
    if (canSave) save.mutate({ projectSlug: slug, ...next });
  };
  return { layout, update };
}
