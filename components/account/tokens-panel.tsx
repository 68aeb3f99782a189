"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useServerForm } from "../forms/use-server-form";
import { errorDetails, useTRPC } from "../trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { CopyField } from "../ui/copy-field";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { Field, FormError } from "../ui/field";
import { Input, Select } from "../ui/input";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";

type Token = {
  id: string;
  name: string;
  prefix: string;
  readOnly: boolean;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  projectSlug: string | null;
};

function status(t: Token) {
  if (t.revokedAt) return <Badge tone="neutral">revoked</Badge>;
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return <Badge tone="amber">expired</Badge>;
  return <Badge tone="green">active</Badge>;
}

export function TokensPanel(props: { tokens: Token[]; projects: { slug: string; name: string }[]; preselectProject?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [creating, setCreating] = useState(Boolean(props.preselectProject));
  const revoke = useMutation(trpc.token.revoke.mutationOptions());

  return (
    <Card>
      <CardHeader title="Your tokens" actions={<Button onClick={() => setCreating(true)}>New token</Button>} />
      {props.tokens.length === 0 ? (
        <div className="p-5">
          <EmptyState
            icon={<KeyRound className="size-7" />}
            title="No tokens yet"
            description="Create one for each script, CI job or machine, so you can revoke them one by one."
          />
        </div>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Scope</Th>
              <Th className="hidden md:table-cell">Expires</Th>
              <Th className="hidden md:table-cell">Last used</Th>
              <Th>Status</Th>
              <Th className="text-right">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((t) => (
              <tr key={t.id}>
                <Td>
                  <div className="font-medium">{t.name}</div>
                  <div className="font-mono text-xs text-stone-500">{t.prefix}…</div>
                </Td>
                <Td className="text-sm">
                  {t.readOnly ? "read-only" : "read-write"} · {t.projectSlug ? <span className="font-mono">{t.projectSlug}</span> : "all my projects"}
                </Td>
                <Td className="hidden text-stone-500 md:table-cell">
                  <Time value={t.expiresAt} fallback="never" />
                </Td>
                <Td className="hidden text-stone-500 md:table-cell">
                  <Time value={t.lastUsedAt} fallback="never" />
                </Td>
                <Td>{status(t)}</Td>
                <Td className="text-right">
                  {!t.revokedAt && (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-red-600"
                      onClick={async () => {
                        try {
                          await revoke.mutateAsync({ tokenId: t.id });
                          toast.success(`Token ${t.name} revoked`);
                          router.refresh();
                        } catch (error) {
                          toast.error(errorDetails(error).message);
                        }
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <CreateTokenDialog open={creating} onOpenChange={setCreating} projects={props.projects} preselectProject={props.preselectProject} />
    </Card>
  );
}

type Values = { name: string; expiresInDays: string; projectSlug: string; readOnly: boolean };

function CreateTokenDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projects: { slug: string; name: string }[];
  preselectProject?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.token.create.mutationOptions());
  const [secret, setSecret] = useState<string | null>(null);
  const { form, formError, showError } = useServerForm<Values>({
    name: "",
    expiresInDays: "90",
    projectSlug: props.preselectProject ?? "",
    readOnly: false,
  });
  const errors = form.formState.errors;

  function close(open: boolean) {
    props.onOpenChange(open);
    if (!open) {
      setSecret(null);
      form.reset();
    }
  }

  const submit = form.handleSubmit(async (v) => {
    try {
      const result = await create.mutateAsync({
        name: v.name,
        expiresInDays: v.expiresInDays === "never" ? null : Number(v.expiresInDays),
        projectSlug: v.projectSlug || undefined,
        readOnly: v.readOnly,
      });
      setSecret(result.secret);
      router.refresh();
    } catch (error) {
      showError(error);
    }
  });

  return (
    <Dialog open={props.open} onOpenChange={close} title={secret ? "Copy your token now" : "New access token"}>
      {secret ? (
        <div className="space-y-4">
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
            This is the only time the token is shown. Store it in a secret manager or your CI settings.
          </p>
          <CopyField label="Token" value={secret} />
          <div className="flex justify-end">
            <Button onClick={() => close(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field label="Name" error={errors.name?.message} hint="What uses it, e.g. “training cluster” or “GitHub Actions”.">
            <Input autoFocus {...form.register("name")} />
          </Field>
          <Field label="Expires" error={errors.expiresInDays?.message}>
            <Select {...form.register("expiresInDays")}>
              <option value="7">in 7 days</option>
              <option value="30">in 30 days</option>
              <option value="90">in 90 days</option>
              <option value="365">in a year</option>
              <option value="never">never</option>
            </Select>
          </Field>
          <Field label="Project" error={errors.projectSlug?.message} hint="Restrict the token to one project, or let it reach all of yours.">
            <Select {...form.register("projectSlug")}>
              <option value="">All my projects</option>
              {props.projects.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name} ({p.slug})
                </option>
              ))}
            </Select>
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-brand-600" {...form.register("readOnly")} /> Read-only (cannot log or change anything)
          </label>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={create.isPending}>
              Create token
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
