"use client";

import { useMutation } from "@tanstack/react-query";
import { ArchiveRestore, GitCompareArrows, Trash2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button, buttonClass } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { formatCount, plural } from "./format";
import { MAX_BULK, type Picked } from "./use-run-selection";

const MAX_COMPARE = 100;

/**
 * What can be done with the selected runs: compare them, delete them (with a confirmation and an
 * undo) or restore the deleted ones.
 */
export function SelectionBar(props: { slug: string; picked: Picked[]; canDelete: boolean; onClear: () => void; onChanged: () => Promise<unknown> }) {
  const { slug, picked } = props;
  const trpc = useTRPC();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const restoreMany = useMutation(
    trpc.runsTable.restoreMany.mutationOptions({
      onSuccess: async (result) => {
        toast.success(result.changed ? `Restored ${plural(result.changed, "run")}` : "Nothing to restore");
        props.onClear();
        await props.onChanged();
      },
      onError: (error) => toast.error(errorDetails(error).message),
    }),
  );
  const deleteMany = useMutation(
    trpc.runsTable.deleteMany.mutationOptions({
      onSuccess: async (result, input) => {
        setConfirmDelete(false);
        props.onClear();
        toast.success(`Deleted ${plural(result.changed, "run")}`, {
          description: "Deleted runs stay restorable for the retention period.",
          action: { label: "Undo", onClick: () => restoreMany.mutate({ projectSlug: slug, runIds: input.runIds }) },
        });
        await props.onChanged();
      },
      onError: (error) => toast.error(errorDetails(error).message),
    }),
  );
  const pickedActive = picked.filter((p) => !p.deleted);
  const pickedDeleted = picked.filter((p) => p.deleted);
  const canCompare = picked.length >= 2 && picked.length <= MAX_COMPARE;

  return (
    <>
      {picked.length > 0 && (
        <div
          className="flex flex-wrap items-center gap-2 rounded-lg border border-brand-500/30 bg-brand-50 px-3 py-2 text-sm dark:border-brand-500/30 dark:bg-brand-700/15"
          role="region"
          aria-label="Selected runs"
        >
          <span className="font-medium">{plural(picked.length, "run")} selected</span>
          <span className="mx-1 h-4 w-px bg-brand-500/30" aria-hidden />
          {canCompare ? (
            <Link href={`/p/${slug}/compare?runs=${picked.map((p) => p.runId).join(",")}`} prefetch={false} className={buttonClass("primary", "sm")}>
              <GitCompareArrows className="size-4" aria-hidden /> Compare ({picked.length})
            </Link>
          ) : (
            <Button size="sm" disabled title={picked.length < 2 ? "Select at least two runs to compare" : `Compare at most ${MAX_COMPARE} runs`}>
              <GitCompareArrows className="size-4" aria-hidden /> Compare ({picked.length})
            </Button>
          )}
          {props.canDelete && pickedActive.length > 0 && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setConfirmDelete(true)}
              disabled={pickedActive.length > MAX_BULK}
              title={pickedActive.length > MAX_BULK ? `Delete at most ${MAX_BULK} runs at once` : undefined}
            >
              <Trash2 className="size-4 text-red-600" aria-hidden /> Delete ({pickedActive.length})
            </Button>
          )}
          {props.canDelete && pickedDeleted.length > 0 && (
            <Button
              variant="secondary"
              size="sm"
              pending={restoreMany.isPending}
              disabled={pickedDeleted.length > MAX_BULK}
              onClick={() => restoreMany.mutate({ projectSlug: slug, runIds: pickedDeleted.map((p) => p.runId) })}
            >
              <ArchiveRestore className="size-4" aria-hidden /> Restore ({pickedDeleted.length})
            </Button>
          )}
          <button type="button" onClick={props.onClear} className="ml-auto text-sm text-stone-600 hover:underline dark:text-stone-300">
            Clear selection
          </button>
        </div>
      )}

      <Dialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete ${plural(pickedActive.length, "run")}?`}
        description="Deleted runs disappear from the table and from MLflow searches. They can be restored from the Deleted view until the retention period ends; then their data and artifacts are purged."
      >
        <ul className="mb-4 max-h-40 overflow-y-auto rounded border border-stone-200 p-2 text-sm dark:border-stone-800">
          {pickedActive.slice(0, 50).map((p) => (
            <li key={p.runId} className="truncate">
              {p.runName}
            </li>
          ))}
          {pickedActive.length > 50 && <li className="text-stone-500">and {formatCount(pickedActive.length - 50)} more</li>}
        </ul>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            pending={deleteMany.isPending}
            onClick={() => deleteMany.mutate({ projectSlug: slug, runIds: pickedActive.map((p) => p.runId) })}
          >
            Delete {plural(pickedActive.length, "run")}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
