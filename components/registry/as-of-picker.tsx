"use client";

import { useQuery } from "@tanstack/react-query";
import { CalendarClock, GitPullRequest } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { TargetChip } from "./badges";
import { formatDateTime, requestHref, toLocalInput, versionHref } from "./format";

/**
 * "What served in Production on date X, who approved it, and why": the state of every stage and
 * alias at a chosen moment, replayed from the timeline.
 */
export function AsOfPicker(props: { slug: string; modelName: string; createdAt: Date }) {
  const trpc = useTRPC();
  const id = useId();
  const [value, setValue] = useState("");
  const [at, setAt] = useState<Date | null>(null);
  const query = useQuery({
    ...trpc.registry.targetsAt.queryOptions({ projectSlug: props.slug, name: props.modelName, at: at ?? new Date(0) }),
    enabled: at !== null,
  });

  return (
    <div className="space-y-3">
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const date = new Date(value);
          if (!Number.isNaN(date.getTime())) setAt(date);
        }}
      >
        <div className="min-w-0 flex-1">
          <label htmlFor={id} className="mb-1 block text-xs font-medium text-stone-600 dark:text-stone-400">
            Date and time (your time zone)
          </label>
          <Input
            id={id}
            type="datetime-local"
            value={value}
            min={toLocalInput(new Date(props.createdAt))}
            max={toLocalInput(new Date())}
            onChange={(e) => setValue(e.target.value)}
            required
          />
        </div>
        <Button type="submit" variant="secondary" disabled={!value} pending={query.isFetching}>
          <CalendarClock className="size-4" aria-hidden /> Show
        </Button>
      </form>
      <div aria-live="polite">
        {query.error && <p className="text-sm text-red-600 dark:text-red-400">{errorDetails(query.error).message}</p>}
        {at && query.data && (
          <div className="space-y-2">
            <p className="text-xs font-medium tracking-wide text-stone-500 uppercase">On {formatDateTime(at)}</p>
            {query.data.targets.length ? (
              <ul className="space-y-2">
                {query.data.targets.map((t) => (
                  <li key={`${t.kind}:${t.target}`} className="rounded-md border border-stone-200 p-2.5 text-sm dark:border-stone-800">
                    <div className="flex flex-wrap items-center gap-1.5">
                      <TargetChip target={{ kind: t.kind, name: t.target }} />
                      <span>was</span>
                      <Link href={versionHref(props.slug, props.modelName, t.version)} className="font-semibold hover:underline">
                        version {t.version}
                      </Link>
                    </div>
                    <p className="mt-1 text-xs text-stone-600 dark:text-stone-400">
                      {t.request ? (
                        <>
                          {t.rollback ? "Rolled back" : t.approvers.length ? <>Approved by {t.approvers.join(", ")}</> : <>Put there</>} in{" "}
                          <Link
                            href={requestHref(props.slug, t.request)}
                            className="inline-flex items-center gap-0.5 font-medium text-brand-700 hover:underline dark:text-brand-100"
                          >
                            <GitPullRequest className="size-3" aria-hidden />
                            request #{t.request}
                          </Link>
                          {t.since && <> on {formatDateTime(t.since)}</>}
                        </>
                      ) : (
                        <>
                          {t.rollback ? "Rolled back" : "Moved there"}
                          {t.by && <> by {t.by}</>}
                          {t.since && <> on {formatDateTime(t.since)}</>}, without a review
                        </>
                      )}
                    </p>
                    {t.justification && (
                      <blockquote className="mt-1.5 line-clamp-3 border-l-2 border-stone-200 pl-2 text-xs whitespace-pre-line text-stone-600 italic dark:border-stone-700 dark:text-stone-400">
                        “{t.justification}”
                      </blockquote>
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-stone-500">No version held a stage or alias of {props.modelName} then.</p>
            )}
          </div>
        )}
        {!at && (
          <p className="text-xs text-stone-500 dark:text-stone-400">Pick a moment to see which version held each stage and alias, who approved it and why.</p>
        )}
      </div>
    </div>
  );
}
