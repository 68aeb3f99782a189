"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { signInWithOidc, signInWithPassword, signOutAction } from "@/server/auth/actions";
import { useServerForm } from "../forms/use-server-form";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

export function AcceptInvitation(props: { secret: string; slug: string; invitedEmail: string; signedInEmail: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  if (props.invitedEmail !== props.signedInEmail) {
    return (
      <div className="space-y-4 text-sm">
        <p>
          You are signed in as <strong>{props.signedInEmail}</strong>, but this invitation is for <strong>{props.invitedEmail}</strong>.
        </p>
        <form action={signOutAction}>
          <Button type="submit" variant="secondary" className="w-full">
            Sign out and continue as {props.invitedEmail}
          </Button>
        </form>
      </div>
    );
  }
  return (
    <Button
      className="w-full"
      pending={accept.isPending}
      onClick={async () => {
        try {
          await accept.mutateAsync({ secret: props.secret });
          router.push(`/p/${props.slug}`);
          router.refresh();
        } catch (error) {
          toast.error(errorDetails(error).message);
        }
      }}
    >
      Accept invitation
    </Button>
  );
}

export function InvitationSignUp(props: { secret: string; email: string; oidcName: string | null }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.invitation.signUp.mutationOptions());
  const [signingIn, startSignIn] = useTransition();
  const { form, formError, showError } = useServerForm<{ name: string; password: string }>({ name: "", password: "" });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    let joined;
    try {
      joined = await signUp.mutateAsync({ secret: props.secret, ...values });
    } catch (error) {
      return showError(error);
    }
    const data = new FormData();
    data.set("email", props.email);
    data.set("password", values.password);
    data.set("callbackUrl", `/p/${joined.project.slug}`);
    startSignIn(async () => {
      await signInWithPassword({}, data);
    });
  });

  return (
    <div className="space-y-5">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field label="E-mail">
          <Input value={props.email} readOnly disabled />
        </Field>
        <Field label="Your name" error={errors.name?.message}>
          <Input autoFocus autoComplete="name" {...form.register("name")} />
        </Field>
        <Field label="Choose a password" error={errors.password?.message} hint="At least 10 characters.">
          <Input type="password" autoComplete="new-password" {...form.register("password")} />
        </Field>
        <Button type="submit" className="w-full" pending={signUp.isPending || signingIn}>
          Create account and join
        </Button>
      </form>
      {props.oidcName && (
        <form action={signInWithOidc}>
          <input type="hidden" name="callbackUrl" value={`/invite/${props.secret}`} />
          <Button type="submit" variant="secondary" className="w-full">
            Continue with {props.oidcName}
          </Button>
        </form>
      )}
    </div>
  );
}
