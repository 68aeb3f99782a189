export const E2E_PORT = 3210;
// Reached by name, while the server binds 127.0.0.1 (tests/support/cairn-process.ts).
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const OIDC_PORT = 3211;
/** The local identity provider (tests/e2e/support/identity-provider.ts) listening on `port`. */
export const oidcIssuer = (port: number) => `http://127.0.0.1:${port}`;
export const OIDC_ISSUER = oidcIssuer(OIDC_PORT);
export const OIDC_ALLOWED_DOMAIN = "sso.example";
