"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { signOutAction } from "@/server/auth/actions";
import { useServerForm } from "../forms/use-server-form";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

export function AccountForms({ name }: { name: string }) {
  return (
    <div className="space-y-6">
      <ProfileForm name={name} />
      <PasswordForm />
      <SessionsCard />
    </div>
  );
}

function ProfileForm({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.account.updateProfile.mutationOptions());
  const { form, formError, showError } = useServerForm<{ name: string }>({ name });
  const submit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      form.reset(values);
      toast.success("Profile saved");
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });
  return (
    <Card>
      <CardHeader title="Profile" />
      <CardBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field label="Name" error={form.formState.errors.name?.message} hint="Shown to people in your projects and used for @mentions.">
            <Input autoComplete="name" {...form.register("name")} />
          </Field>
          <div className="flex justify-end">
            <Button type="submit" pending={update.isPending} disabled={!form.formState.isDirty}>
              Save
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function PasswordForm() {
  const trpc = useTRPC();
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const { form, formError, showError } = useServerForm<{ currentPassword: string; newPassword: string }>({ currentPassword: "", newPassword: "" });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await change.mutateAsync(values);
      form.reset();
      toast.success("Password changed");
    } catch (error) {
      showError(error);
    }
  });
  return (
    <Card>
      <CardHeader title="Password" />
      <CardBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field label="Current password" error={errors.currentPassword?.message} hint="Leave empty if you signed up through single sign-on.">
            <Input type="password" autoComplete="current-password" {...form.register("currentPassword")} />
          </Field>
          <Field label="New password" error={errors.newPassword?.message} hint="At least 10 characters.">
            <Input type="password" autoComplete="new-password" {...form.register("newPassword")} />
          </Field>
          <div className="flex justify-end">
            <Button type="submit" pending={change.isPending}>
              Change password
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function SessionsCard() {
  const trpc = useTRPC();
  const everywhere = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  return (
    <Card>
      <CardHeader title="Sessions" description="Signs you out of every browser, this one included. Access tokens keep working; revoke them separately." />
      <CardBody>
        <Button
          variant="secondary"
          pending={everywhere.isPending}
          onClick={async () => {
            try {
              await everywhere.mutateAsync();
              await signOutAction();
            } catch (error) {
              toast.error(errorDetails(error).message);
            }
          }}
        >
          Sign out everywhere
        </Button>
      </CardBody>
    </Card>
  );
}
