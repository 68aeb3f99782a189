"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff } from "lucide-react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";

export type WatchSubjectRef = { type: "project" } | { type: "registered_model"; name: string };

/**
 * Follow or stop following a project or a registered model: watchers get its comments, promotions
 * and rollbacks in their inbox (and by e-mail if they want).
 */
export function WatchButton({ slug, subject }: { slug: string; subject: WatchSubjectRef }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { projectSlug: slug, subject };
  const status = useQuery(trpc.watch.status.queryOptions(input));
  const set = useMutation(
    trpc.watch.set.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.watch.status.queryKey(input), data),
      onError: (error) => toast.error(errorDetails(error).message),
    }),
  );
  const watching = status.data?.watching ?? false;
  const what = subject.type === "project" ? "this project" : "this model";
  return (
    <Button
      size="sm"
      variant="secondary"
      disabled={!status.data}
      pending={set.isPending}
      title={watching ? `You get notified about ${what}. Click to stop.` : `Get notified about comments, promotions and rollbacks in ${what}.`}
      onClick={() => set.mutate({ ...input, watching: !watching })}
    >
      {watching ? <EyeOff className="size-4" aria-hidden /> : <Eye className="size-4" aria-hidden />}
      {watching ? "Unwatch" : "Watch"}
    </Button>
  );
}
