import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { getDb } from "../db/client";
import { env, oidcEnabled } from "../env.js";
import { DomainError } from "../errors";
import { instanceSessionSecret } from "../services/instance";
import { authenticatePassword, resolveOidcSignIn, sessionVersionOf } from "../services/users";
import { clientAddress } from "./client-address";

/** A refused password sign-in; `code` reaches the sign-in page, so it carries no secrets. */
class PasswordSignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

declare module "next-auth" {
  interface Session {
    sessionVersion?: number;
  }
}

// The config is built per request, lazily: importing this module never opens the database.
export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const e = env();
  const db = getDb();
  const providers: Provider[] = [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        try {
          const user = await authenticatePassword(db, credentials, clientAddress(request.headers));
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          throw new PasswordSignInRefused(error.kind === "rate_limited" ? `throttled:${error.retryAfterSeconds}` : error.message);
        }
      },
    }),
  ];
  if (oidcEnabled(e)) {
    providers.push({
      id: "oidc",
      name: e.CAIRN_OIDC_NAME,
      type: "oidc",
      issuer: e.CAIRN_OIDC_ISSUER,
      clientId: e.CAIRN_OIDC_CLIENT_ID,
      clientSecret: e.CAIRN_OIDC_CLIENT_SECRET,
      // Read claims from userinfo: several providers leave e-mail out of the ID token.
      idToken: false,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
    });
  }

  return {
    secret: e.AUTH_SECRET ?? (await instanceSessionSecret(db)),
    trustHost: true,
    useSecureCookies: e.CAIRN_SECURE_COOKIES || undefined,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.type !== "oidc") return true;
        const result = await resolveOidcSignIn(
          db,
          {
            issuer: e.CAIRN_OIDC_ISSUER!,
            subject: account.providerAccountId,
            email: typeof profile?.email === "string" ? profile.email : null,
            emailVerified: String(profile?.email_verified) === "true",
            name: typeof profile?.name === "string" ? profile.name : null,
          },
          e.CAIRN_SIGNUP_DOMAINS,
        );
        if ("refused" in result) return `/signin?error=${result.refused}`;
        user.id = result.user.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sv = await sessionVersionOf(db, user.id);
        }
        return token;
      },
      session({ session, token }) {
        session.user.id = token.sub!;
        session.sessionVersion = typeof token.sv === "number" ? token.sv : undefined;
        return session;
      },
    },
  };
});
