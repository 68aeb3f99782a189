"use client";

import { useMutation } from "@tanstack/react-query";
import { useTransition } from "react";
import { signInWithPassword } from "@/server/auth/actions";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

type Values = { name: string; email: string; password: string };

export function SetupForm() {
  const trpc = useTRPC();
  const { form, formError, showError } = useServerForm<Values>({ name: "", email: "", password: "" });
  const [signingIn, startSignIn] = useTransition();
  const create = useMutation(trpc.setup.createAdmin.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
    } catch (error) {
      return showError(error);
    }
    const data = new FormData();
    data.set("email", values.email);
    data.set("password", values.password);
    data.set("callbackUrl", "/projects/new");
    startSignIn(async () => {
      await signInWithPassword({}, data);
    });
  });

  const errors = form.formState.errors;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field label="Your name" error={errors.name?.message}>
        <Input autoComplete="name" autoFocus {...form.register("name")} />
      </Field>
      <Field label="E-mail" error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...form.register("email")} />
      </Field>
      <Field label="Password" error={errors.password?.message} hint="At least 10 characters.">
        <Input type="password" autoComplete="new-password" {...form.register("password")} />
      </Field>
      <Button type="submit" className="w-full" pending={create.isPending || signingIn}>
        Create administrator
      </Button>
    </form>
  );
}
