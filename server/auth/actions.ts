"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { safeReturnPath } from "../http/return-path";
import { signIn, signOut } from "./next-auth";

function passwordRefusalMessage(code: string): string {
  if (code.startsWith("throttled:")) {
    const minutes = Math.max(1, Math.ceil(Number(code.slice("throttled:".length)) / 60));
    return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  return code === "credentials" ? "Wrong e-mail or password" : code;
}

export type SignInState = { error?: string };

export async function signInWithPassword(_state: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: safeReturnPath(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin) return { error: passwordRefusalMessage(error.code) };
    if (error instanceof AuthError) return { error: "Sign-in failed; please try again" };
    throw error; // the redirect that completes a successful sign-in
  }
}

export async function signInWithOidc(form: FormData): Promise<void> {
  await signIn("oidc", { redirectTo: safeReturnPath(form.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
