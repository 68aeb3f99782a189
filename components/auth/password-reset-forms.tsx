"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useActionState, useTransition } from "react";
import { signInWithPassword } from "@/server/auth/actions";
import { requestPasswordResetAction, type ResetRequestState } from "@/server/auth/password-reset-actions";
import { useServerForm } from "../forms/use-server-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

const linkClass = "font-medium text-brand-700 hover:underline dark:text-brand-100";

/** Asks for a reset link; the confirmation reads the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState<ResetRequestState, FormData>(requestPasswordResetAction, {});
  if (state.sentTo) {
    return (
      <div className="space-y-4 text-sm text-stone-700 dark:text-stone-300" role="status">
        <p>
          If <strong>{state.sentTo}</strong> belongs to an account here, we have sent it a link to choose a new password. The link works once, within an hour.
        </p>
        <p>No e-mail after a few minutes? Check your spam folder, or ask an administrator to set a new password for you.</p>
        <p>
          <Link href="/signin" className={linkClass}>
            Back to sign-in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <FormError message={state.error} />
      <Field label="E-mail" error={state.emailError}>
        <Input name="email" type="email" autoComplete="email" required autoFocus />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Send reset link
      </Button>
      <p className="text-center text-sm">
        <Link href="/signin" className={linkClass}>
          Back to sign-in
        </Link>
      </p>
    </form>
  );
}

type Values = { password: string; repeat: string };

/** Chooses the new password through an open reset link, then signs in with it. */
export function ResetPasswordForm(props: { token: string; email: string }) {
  const trpc = useTRPC();
  const complete = useMutation(trpc.passwordReset.complete.mutationOptions());
  const [signingIn, startSignIn] = useTransition();
  const { form, formError, showError } = useServerForm<Values>({ password: "", repeat: "" });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    if (values.password !== values.repeat) {
      return form.setError("repeat", { message: "The two passwords are not the same" }, { shouldFocus: true });
    }
    try {
      await complete.mutateAsync({ token: props.token, password: values.password });
    } catch (error) {
      return showError(error);
    }
    const data = new FormData();
    data.set("email", props.email);
    data.set("password", values.password);
    data.set("callbackUrl", "/projects");
    startSignIn(async () => {
      await signInWithPassword({}, data);
    });
  });

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field label="E-mail">
        <Input value={props.email} autoComplete="username" readOnly disabled />
      </Field>
      <Field label="New password" error={errors.password?.message} hint="At least 10 characters.">
        <Input type="password" autoComplete="new-password" autoFocus {...form.register("password")} />
      </Field>
      <Field label="New password again" error={errors.repeat?.message}>
        <Input type="password" autoComplete="new-password" {...form.register("repeat")} />
      </Field>
      <Button type="submit" className="w-full" pending={complete.isPending || signingIn}>
        Set password and sign in
      </Button>
      <p className="text-center text-sm text-stone-500 dark:text-stone-400">
        Link not working?{" "}
        <Link href="/forgot-password" className={linkClass}>
          Request a new one
        </Link>
      </p>
    </form>
  );
}
