"use server";

import { headers } from "next/headers";
import { anonymous } from "../access/actor";
import { createServiceContext } from "../context";
import { DomainError } from "../errors";
import { requestPasswordReset } from "../services/password-resets";
import { clientAddress } from "./client-address";

export type ResetRequestState = { sentTo?: string; error?: string; emailError?: string };

// A request for a known address writes a few rows more than one for an unknown address (~7 ms on
// PostgreSQL here under load): every confirmation waits until this much time has passed, so response
// times do not tell them apart.
const CONFIRMATION_FLOOR_MS = 300;

/**
 * The "Forgot password?" form. A server action rather than a tRPC call because requests are
 * throttled per client address, as sign-in is.
 */
export async function requestPasswordResetAction(_state: ResetRequestState, form: FormData): Promise<ResetRequestState> {
  const email = form.get("email");
  const input = { email: typeof email === "string" ? email : "" };
  const requestHeaders = await headers();
  const started = performance.now();
  try {
    await requestPasswordReset({
      ctx: createServiceContext(anonymous),
      input,
      address: clientAddress(requestHeaders),
    });
    await new Promise((resolve) => setTimeout(resolve, started + CONFIRMATION_FLOOR_MS - performance.now()));
    return { sentTo: input.email.trim() };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.fields?.email ? { emailError: error.fields.email } : { error: error.message };
  }
}
