"use client";

import { useMutation } from "@tanstack/react-query";
import { CircleCheck, CircleX, FileDiff, type LucideIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { Textarea } from "../ui/input";

type Decision = "approve" | "request_changes" | "reject";

const OPTIONS: { value: Decision; label: string; help: string; icon: LucideIcon; tone: string }[] = [
  {
    value: "approve",
    label: "Approve",
    help: "Counts towards the approvals; the promotion applies once enough stand and every gate passes.",
    icon: CircleCheck,
    tone: "text-emerald-600 dark:text-emerald-400",
  },
  {
    value: "request_changes",
    label: "Request changes",
    help: "Holds the request until the requester answers (or you approve later).",
    icon: FileDiff,
    tone: "text-amber-600 dark:text-amber-400",
  },
  {
    value: "reject",
    label: "Reject",
    help: "Closes the request; the target keeps its current version.",
    icon: CircleX,
    tone: "text-red-600 dark:text-red-400",
  },
];

/** A reviewer's decision with an optional comment, like a pull request's "Review changes" box. */
export function ReviewForm({ slug, number }: { slug: string; number: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const review = useMutation(trpc.promotion.review.mutationOptions());
  const id = useId();
  const [decision, setDecision] = useState<Decision>("approve");
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const result = await review.mutateAsync({ projectSlug: slug, number, decision, comment });
      if (result.status === "applied") toast.success(`Approved and applied: request #${number} is done`);
      else if (result.status === "rejected") toast.success(`Request #${number} rejected`);
      else if (result.status === "changes_requested" && decision === "request_changes") toast.success("Changes requested");
      else if ("approvals" in result) {
        toast.success(
          `Approved: ${result.approvals} of ${result.required} approvals${result.gatesPass ? "" : "; a gate still fails"}${result.status === "changes_requested" ? "; a request for changes still stands" : ""}`,
        );
      }
      setComment("");
      router.refresh();
    } catch (err) {
      setError(errorDetails(err).message);
    }
  }

  const chosen = OPTIONS.find((o) => o.value === decision)!;
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <FormError message={error} />
      <div>
        <label htmlFor={`${id}-comment`} className="mb-1.5 block text-sm font-medium">
          Comment <span className="font-normal text-stone-500">(optional, markdown)</span>
        </label>
        <Textarea
          id={`${id}-comment`}
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder="What you checked, what worries you…"
        />
      </div>
      <fieldset>
        <legend className="sr-only">Decision</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {OPTIONS.map((o) => {
            const Icon = o.icon;
            return (
              <label
                key={o.value}
                className={cn(
                  "flex cursor-pointer gap-2 rounded-md border p-2.5 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500/40",
                  decision === o.value
                    ? "border-brand-500 bg-brand-50/60 dark:bg-brand-700/15"
                    : "border-stone-200 hover:bg-stone-50 dark:border-stone-700 dark:hover:bg-stone-800/50",
                )}
              >
                <input
                  type="radio"
                  name={`${id}-decision`}
                  value={o.value}
                  checked={decision === o.value}
                  onChange={() => setDecision(o.value)}
                  className="sr-only"
                />
                <Icon className={cn("mt-0.5 size-4 shrink-0", o.tone)} aria-hidden />
                <span>
                  <span className="block font-medium">{o.label}</span>
                  <span className="block text-xs text-stone-500 dark:text-stone-400">{o.help}</span>
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" variant={decision === "reject" ? "danger" : "primary"} pending={review.isPending}>
          <chosen.icon className="size-4" aria-hidden /> {decision === "approve" ? "Approve" : decision === "reject" ? "Reject request" : "Request changes"}
        </Button>
      </div>
    </form>
  );
}
