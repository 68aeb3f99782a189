"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signInWithOidc, signInWithPassword, type SignInState } from "@/server/auth/actions";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { useLocationHash } from "../ui/use-location-hash";

/**
 * The return address with the fragment the visitor arrived with: a redirect to sign in keeps the
 * fragment in the browser's address bar only (an MLflow link's route lives there), so it is put back here.
 */
function useReturnAddress(callbackUrl: string): string {
  const hash = useLocationHash();
  return hash && !callbackUrl.includes("#") ? callbackUrl + hash : callbackUrl;
}

/** `forgotPassword` offers the e-mailed reset link (only where Cairn can send one). */
export function SignInForm(props: { callbackUrl: string; oidcName: string | null; initialError?: string; email?: string; forgotPassword?: boolean }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, { error: props.initialError });
  const callbackUrl = useReturnAddress(props.callbackUrl);
  return (
    <div className="space-y-5">
      <form action={action} className="space-y-4">
        <FormError message={state.error} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field label="E-mail">
          <Input name="email" type="email" autoComplete="email" required defaultValue={props.email} readOnly={Boolean(props.email)} autoFocus={!props.email} />
        </Field>
        <Field label="Password">
          <Input name="password" type="password" autoComplete="current-password" required autoFocus={Boolean(props.email)} />
        </Field>
        <Button type="submit" className="w-full" pending={pending}>
          Sign in
        </Button>
        {props.forgotPassword && (
          <p className="text-center text-sm">
            <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline dark:text-brand-100">
              Forgot password?
            </Link>
          </p>
        )}
      </form>
      {props.oidcName && (
        <>
          <div className="flex items-center gap-3 text-xs text-stone-400">
            <span className="h-px flex-1 bg-stone-200 dark:bg-stone-800" /> or <span className="h-px flex-1 bg-stone-200 dark:bg-stone-800" />
          </div>
          <form action={signInWithOidc}>
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <Button type="submit" variant="secondary" className="w-full">
              Continue with {props.oidcName}
            </Button>
          </form>
        </>
      )}
    </div>
  );
}
