import type { Server } from "node:http";
import Provider from "oidc-provider";
import { E2E_BASE_URL, OIDC_PORT, oidcIssuer } from "./constants";

export const OIDC_CLIENT = { id: "cairn-e2e", secret: "cairn-e2e-secret" };

/**
 * A real OpenID Connect provider on 127.0.0.1 for the sign-in journeys, with one client whose
 * redirect URI is Cairn's callback at `cairnUrl` (the browser tier's by default). Its development
 * login form accepts any login; the login is taken as the e-mail, reported as verified.
 */
export async function startIdentityProvider(options: { port?: number; cairnUrl?: string } = {}): Promise<() => Promise<void>> {
  const port = options.port ?? OIDC_PORT;
  const provider = new Provider(oidcIssuer(port), {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`${options.cairnUrl ?? E2E_BASE_URL}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: id.split("@")[0] };
        },
      };
    },
  });
  const server: Server = provider.listen(port, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
