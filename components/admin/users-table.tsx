"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { errorDetails, useTRPC } from "../trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { SetPasswordDialog } from "./set-password-dialog";

type User = { id: string; email: string; name: string; isAdmin: boolean; disabledAt: Date | null; createdAt: Date; lastSignInAt: Date | null };

export function UsersTable(props: { users: User[]; total: number; page: number; pageSize: number; query: string; currentUserId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [settingPassword, setSettingPassword] = useState<User | null>(null);
  const setDisabled = useMutation(trpc.admin.setDisabled.mutationOptions());
  const setAdmin = useMutation(trpc.admin.setAdmin.mutationOptions());

  async function run(action: () => Promise<unknown>, success: string) {
    try {
      await action();
      toast.success(success);
      router.refresh();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  const last = Math.max(0, Math.ceil(props.total / props.pageSize) - 1);
  return (
    <Card>
      <CardHeader
        title="Users"
        description={`${props.total} ${props.total === 1 ? "account" : "accounts"}`}
        actions={
          <div className="flex gap-2">
            <form role="search" action="/admin/users">
              <label className="sr-only" htmlFor="user-search">
                Search users
              </label>
              <Input id="user-search" name="q" placeholder="Search e-mail or name" defaultValue={props.query} className="w-56" />
            </form>
            <Button onClick={() => setCreating(true)}>New user</Button>
          </div>
        }
      />
      <Table>
        <thead>
          <tr>
            <Th>Person</Th>
            <Th>Status</Th>
            <Th className="hidden md:table-cell">Last sign-in</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr key={u.id}>
              <Td>
                <div className="font-medium">{u.name}</div>
                <div className="text-xs text-stone-500">{u.email}</div>
              </Td>
              <Td className="space-x-1">
                {u.isAdmin && <Badge tone="brand">admin</Badge>}
                {u.disabledAt ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
              </Td>
              <Td className="hidden text-stone-500 md:table-cell">
                <Time value={u.lastSignInAt} fallback="never" />
              </Td>
              <Td className="space-x-1 text-right whitespace-nowrap">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() =>
                    run(() => setAdmin.mutateAsync({ userId: u.id, value: !u.isAdmin }), u.isAdmin ? "Administration removed" : "Administration granted")
                  }
                >
                  {u.isAdmin ? "Remove admin" : "Make admin"}
                </Button>
                {u.id !== props.currentUserId && (
                  <Button size="sm" variant="ghost" onClick={() => setSettingPassword(u)}>
                    Set password
                  </Button>
                )}
                {u.id !== props.currentUserId && (
                  <Button
                    size="sm"
                    variant="ghost"
                    className={u.disabledAt ? undefined : "text-red-600"}
                    onClick={() => run(() => setDisabled.mutateAsync({ userId: u.id, value: !u.disabledAt }), u.disabledAt ? "User enabled" : "User disabled")}
                  >
                    {u.disabledAt ? "Enable" : "Disable"}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {last > 0 && (
        <nav aria-label="Pages" className="flex items-center justify-between border-t border-stone-200 px-5 py-3 text-sm dark:border-stone-800">
          <span className="text-stone-500">
            Page {props.page + 1} of {last + 1}
          </span>
          <span className="space-x-3">
            {props.page > 0 && <Link href={`/admin/users?q=${encodeURIComponent(props.query)}&page=${props.page - 1}`}>← Previous</Link>}
            {props.page < last && <Link href={`/admin/users?q=${encodeURIComponent(props.query)}&page=${props.page + 1}`}>Next →</Link>}
          </span>
        </nav>
      )}
      <CreateUserDialog open={creating} onOpenChange={setCreating} />
      <SetPasswordDialog user={settingPassword} onClose={() => setSettingPassword(null)} />
    </Card>
  );
}

type Values = { name: string; email: string; password: string; isAdmin: boolean };

function CreateUserDialog(props: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.admin.createUser.mutationOptions());
  const { form, formError, showError } = useServerForm<Values>({ name: "", email: "", password: "", isAdmin: false });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
      toast.success(`${values.email} created`);
      form.reset();
      props.onOpenChange(false);
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title="New user" description="Share the password with them; they can change it under Account.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label="Name" error={errors.name?.message}>
          <Input autoFocus {...form.register("name")} />
        </Field>
        <Field label="E-mail" error={errors.email?.message}>
          <Input type="email" {...form.register("email")} />
        </Field>
        <Field label="Initial password" error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" {...form.register("password")} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-brand-600" {...form.register("isAdmin")} /> Instance administrator
        </label>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={create.isPending}>
            Create user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
