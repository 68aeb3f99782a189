/** The host name the deployment is reached at; /etc/hosts maps it to 127.0.0.1 (.ci/run adds the line). */
export const DEPLOY_HOSTNAME = "cairn.test";
/** The project the tier creates, with the administrator of tests/e2e/support/journey.ts as owner. */
export const SLUG = "deploy";
export const PROJECT_NAME = "Deployment check";

/**
 * What scripts/deploy-tests.ts hands the browser journeys and the MLflow tests, which run in
 * processes of their own.
 */
export const DEPLOY_ENV = {
  /** The public URL, `https://cairn.test:<port>`. */
  url: "CAIRN_DEPLOY_URL",
  /** Base64 SHA-256 of the SPKI that Chromium is told to accept (the proxy CA's intermediate). */
  spki: "CAIRN_DEPLOY_SPKI",
  /** The observer (tests/deploy/support/observer.ts): e-mails, webhook deliveries, memory. */
  observer: "CAIRN_DEPLOY_OBSERVER",
  /** A read-write token of the administrator. */
  token: "CAIRN_DEPLOY_TOKEN",
} as const;

export function deployEnv(name: keyof typeof DEPLOY_ENV): string {
  const value = process.env[DEPLOY_ENV[name]];
  if (!value) throw new Error(`${DEPLOY_ENV[name]} is not set: run the deployment tier with \`npm test -- --only deploy\` (scripts/deploy-tests.ts)`);
  return value;
}
