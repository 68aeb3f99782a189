"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Role } from "@/server/access/permissions";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";
import { ROLE_OPTIONS } from "./role-options";

type Values = { email: string; role: Role };

export function InviteDialog(props: { slug: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.invitation.create.mutationOptions());
  const { form, formError, showError } = useServerForm<Values>({ email: "", role: "contributor" });
  const [link, setLink] = useState<{ email: string; url: string; emailed: boolean } | null>(null);

  function close(open: boolean) {
    props.onOpenChange(open);
    if (!open) {
      setLink(null);
      form.reset();
    }
  }

  const submit = form.handleSubmit(async (values) => {
    try {
      const { invitation, secret, emailed } = await create.mutateAsync({ projectSlug: props.slug, ...values });
      setLink({ email: invitation.email, url: `${window.location.origin}/invite/${secret}`, emailed });
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <Dialog open={props.open} onOpenChange={close} title="Invite someone" description="They join with the role you choose when they open the link.">
      {link ? (
        <div className="space-y-4">
          <p className="text-sm">
            {link.emailed ? "This link was e-mailed to " : "Send this link to "}
            <strong>{link.email}</strong>. It works once, for that e-mail address, for 7 days.
          </p>
          <CopyField label="Invitation link" value={link.url} />
          <div className="flex justify-end">
            <Button onClick={() => close(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field label="E-mail" error={form.formState.errors.email?.message}>
            <Input type="email" autoFocus autoComplete="off" {...form.register("email")} />
          </Field>
          <Field label="Role" error={form.formState.errors.role?.message}>
            <Select {...form.register("role")}>
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={create.isPending}>
              Create invitation
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
