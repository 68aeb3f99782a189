import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getSessionActor } from "../auth/session";
import { publicOrigin } from "../http/public-origin";
import { createCaller } from "./root";
import { createTrpcContext } from "./trpc";

/** The tRPC router called in-process by Server Components, as the signed-in user. */
export const serverCaller = cache(async () => createCaller(createTrpcContext(await getSessionActor(), publicOrigin(await headers()))));

/**
 * Runs a read for a page: NOT_FOUND renders the 404 page, UNAUTHORIZED sends the visitor to sign in;
 * other errors reach the nearest error boundary.
 */
export async function load<T>(read: () => Promise<T>, returnTo = "/"): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
    throw error;
  }
}
