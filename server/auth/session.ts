import { cache } from "react";
import { anonymous, type Actor } from "../access/actor";
import type { KnownMembership } from "../access/authorize";
import { getDb } from "../db/client";
import { unauthenticated } from "../errors";
import { authenticateToken, tokenFromAuthorization } from "../services/tokens";
import { loadSessionUser } from "../services/users";
import { auth } from "./next-auth";

/**
 * The person behind the browser session, checked against the database on every request so that
 * signing out everywhere or disabling the account takes effect at once.
 */
export const getSessionActor = cache(async (): Promise<Actor> => {
  const session = await auth();
  const userId = session?.user?.id;
  const version = session?.sessionVersion;
  if (!userId || version === undefined) return anonymous;
  const user = await loadSessionUser(getDb(), userId, version);
  return user ? { kind: "user", via: "session", user } : anonymous;
});

/**
 * Who sent the request: an access token in `Authorization` (Bearer, or basic auth with the token
 * as password) takes precedence; otherwise the browser session, where the door accepts one.
 */
export async function actorForRequest(headers: Headers, options: { session: boolean }): Promise<Actor> {
  return (await identifyRequest(headers, options)).actor;
}

/**
 * As `actorForRequest`, for a request into the project named `project`: a token's membership of it
 * is read with the token, for the access module to decide on.
 */
export async function identifyRequest(headers: Headers, options: { session: boolean; project?: string }): Promise<{ actor: Actor; known?: KnownMembership }> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const secret = tokenFromAuthorization(authorization);
    if (!secret) throw unauthenticated("Unsupported Authorization header: use Bearer <token> or basic auth with the token as password");
    return authenticateToken(getDb(), secret, options.project);
  }
  return { actor: options.session && hasSessionCookie(headers) ? await getSessionActor() : anonymous };
}

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?authjs\.session-token/;

/** Requests without the session cookie (scripts, API clients) skip the session lookup. */
function hasSessionCookie(headers: Headers): boolean {
  return SESSION_COOKIE.test(headers.get("cookie") ?? "");
}
