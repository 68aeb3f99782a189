"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";

/** Resolves an open alert by hand; if its rule still holds, the next evaluation opens a new one. */
export function ResolveAlertButton({ slug, alertId }: { slug: string; alertId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const resolve = useMutation(trpc.alert.resolve.mutationOptions());
  return (
    <Button
      variant="secondary"
      size="sm"
      pending={resolve.isPending}
      onClick={async () => {
        try {
          await resolve.mutateAsync({ projectSlug: slug, alertId });
          toast.success("Alert resolved");
          router.refresh();
        } catch (error) {
          toast.error(errorDetails(error).message);
        }
      }}
    >
      Resolve
    </Button>
  );
}
