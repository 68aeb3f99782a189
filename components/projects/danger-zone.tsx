"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

export function DangerZone(props: { slug: string; archived: boolean; canArchive: boolean; canDelete: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const archive = useMutation(trpc.project.setArchived.mutationOptions());
  const [deleting, setDeleting] = useState(false);

  async function toggleArchive() {
    try {
      await archive.mutateAsync({ projectSlug: props.slug, archived: !props.archived });
      toast.success(props.archived ? "Project unarchived" : "Project archived");
      router.refresh();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <Card className="border-red-200 dark:border-red-900/60">
      <CardHeader title="Danger zone" />
      <CardBody className="divide-y divide-stone-100 p-0 dark:divide-stone-800">
        {props.canArchive && (
          <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
            <div>
              <p className="text-sm font-medium">{props.archived ? "Unarchive this project" : "Archive this project"}</p>
              <p className="text-sm text-stone-500">{props.archived ? "Make it writable again." : "Keep everything, but stop all changes and logging."}</p>
            </div>
            <Button variant="secondary" onClick={toggleArchive} pending={archive.isPending}>
              {props.archived ? "Unarchive" : "Archive"}
            </Button>
          </div>
        )}
        {props.canDelete && (
          <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
            <div>
              <p className="text-sm font-medium">Delete this project</p>
              <p className="text-sm text-stone-500">Experiments, runs, artifacts and models are deleted for good.</p>
            </div>
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete project
            </Button>
          </div>
        )}
      </CardBody>
      <DeleteProjectDialog slug={props.slug} open={deleting} onOpenChange={setDeleting} />
    </Card>
  );
}

function DeleteProjectDialog(props: { slug: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.project.delete.mutationOptions());
  const { form, formError, showError } = useServerForm<{ confirmSlug: string }>({ confirmSlug: "" });
  const typed = form.watch("confirmSlug");

  const submit = form.handleSubmit(async (values) => {
    try {
      await remove.mutateAsync({ projectSlug: props.slug, ...values });
      toast.success(`Project ${props.slug} deleted`);
      router.push("/projects");
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title="Delete project" description="This cannot be undone.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label={`Type ${props.slug} to confirm`} error={form.formState.errors.confirmSlug?.message}>
          <Input autoComplete="off" className="font-mono" {...form.register("confirmSlug")} />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={remove.isPending} disabled={typed.trim() !== props.slug}>
            Delete for good
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
