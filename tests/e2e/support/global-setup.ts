import { startCairn } from "./cairn-server";
import { E2E_PORT, OIDC_ALLOWED_DOMAIN, OIDC_ISSUER } from "./constants";
import { OIDC_CLIENT, startIdentityProvider } from "./identity-provider";

export default async function globalSetup() {
  const stopIdentityProvider = await startIdentityProvider();
  const cairn = await startCairn({
    port: E2E_PORT,
    env: {
      CAIRN_OIDC_ISSUER: OIDC_ISSUER,
      CAIRN_OIDC_CLIENT_ID: OIDC_CLIENT.id,
      CAIRN_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      CAIRN_OIDC_NAME: "Test SSO",
      CAIRN_SIGNUP_DOMAINS: OIDC_ALLOWED_DOMAIN,
    },
  });
  process.env.CAIRN_E2E_DATABASE_URL = cairn.env.DATABASE_URL ?? "";
  process.env.CAIRN_E2E_DATA_DIR = cairn.env.CAIRN_DATA_DIR ?? "";
  return async () => {
    await cairn.stop();
    await stopIdentityProvider();
  };
}
