"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

/** An administrator sets a new password for someone who lost theirs. */
export function SetPasswordDialog(props: { user: { id: string; email: string } | null; onClose: () => void }) {
  const trpc = useTRPC();
  const setPassword = useMutation(trpc.admin.setPassword.mutationOptions());
  const { form, formError, showError, clearError } = useServerForm<{ password: string }>({ password: "" });
  const close = () => {
    form.reset();
    clearError();
    props.onClose();
  };
  const submit = form.handleSubmit(async ({ password }) => {
    if (!props.user) return;
    try {
      await setPassword.mutateAsync({ userId: props.user.id, password });
      toast.success(`New password set for ${props.user.email}`);
      close();
    } catch (error) {
      showError(error);
    }
  });
  return (
    <Dialog
      open={props.user !== null}
      onOpenChange={(open) => !open && close()}
      title="Set a new password"
      description={
        props.user ? `For ${props.user.email}. Their browser sessions end; share the password with them safely. Access tokens keep working.` : undefined
      }
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label="New password" error={form.formState.errors.password?.message} hint="At least 10 characters.">
          <Input type="password" autoComplete="new-password" autoFocus {...form.register("password")} />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={setPassword.isPending}>
            Set password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
