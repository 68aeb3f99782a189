// The deployment tier: Cairn's production build behind a real TLS-terminating proxy at its own host
// name, as the README's deploy section sets it up. `npx tsx scripts/deploy-tests.ts` (or
// `npm test -- --only deploy`). Needs `npm run build`, caddy, Chromium, python3 with venv, and the
// line `127.0.0.1 cairn.test` in /etc/hosts (.ci/run adds it).
//
// 1. Checks that cairn.test resolves to 127.0.0.1; creates (or reuses) .cache/venv-mlflow3.
// 2. Starts, all on loopback: the observer (SMTP capture, webhook receiver, memory sampler), a local
//    OIDC provider, Cairn (`npm start -H 127.0.0.1 -p <port>` with CAIRN_PUBLIC_URL=https://cairn.test:<tls port>)
//    on a fresh PGlite folder or PostgreSQL database (TEST_DATABASE_URL), and Caddy in front of it
//    with a certificate from its internal CA.
// 3. Creates an administrator with a project and a token through the operator CLI.
// 4. Runs the browser journeys (tests/deploy/journeys.spec.ts, Chromium trusting the proxy's CA) and
//    the MLflow 3.x client over HTTPS (tests/deploy/test_*.py, trusting only that CA), each writing
//    JUnit XML to test-results/junit/deploy-*.xml. Stops everything, also when something failed.
import { spawn, type ChildProcess } from "node:child_process";
import { lookup } from "node:dns/promises";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { OIDC_ALLOWED_DOMAIN, oidcIssuer } from "../tests/e2e/support/constants";
import { OIDC_CLIENT, startIdentityProvider } from "../tests/e2e/support/identity-provider";
import { ADMIN } from "../tests/e2e/support/journey";
import { startCaddy, spkiSha256, type RunningCaddy } from "../tests/deploy/support/caddy";
import { DEPLOY_ENV, DEPLOY_HOSTNAME, PROJECT_NAME, SLUG } from "../tests/deploy/support/constants";
import { startObserver, type MemoryReport } from "../tests/deploy/support/observer";
import { freshBackend, launchCairn, type Backend, type CairnServer } from "../tests/faults/support/cairn";
import { cli, ensureVenv, freePort, ROOT, seconds } from "../tests/support/harness";

const VENV = ".cache/venv-mlflow3";
const REQUIREMENTS = "tests/mlflow/requirements-3.txt";
const STEP_TIMEOUT_MS = 5 * 60_000;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function checkHostName(): Promise<void> {
  const fix = `add the line \`127.0.0.1 ${DEPLOY_HOSTNAME}\` to /etc/hosts (as root: echo '127.0.0.1 ${DEPLOY_HOSTNAME}' >> /etc/hosts; .ci/run does this)`;
  let address: string;
  try {
    ({ address } = await lookup(DEPLOY_HOSTNAME, { family: 4 }));
  } catch {
    throw new Error(`${DEPLOY_HOSTNAME} does not resolve: ${fix}`);
  }
  if (address !== "127.0.0.1") throw new Error(`${DEPLOY_HOSTNAME} resolves to ${address}, not 127.0.0.1: ${fix}`);
}

let current: ChildProcess | undefined;

/** Runs a test runner in the foreground; false when it fails or outlives the step's time limit. */
function runStep(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    current = child;
    const timer = setTimeout(() => {
      console.error(`${label} still running after ${STEP_TIMEOUT_MS / 60_000} min: stopping it`);
      child.kill("SIGKILL");
    }, STEP_TIMEOUT_MS);
    child.on("error", (error) => console.error(`${label}: ${error.message}`));
    child.on("close", (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve(code === 0);
    });
  });
}

function browserEnv(caddy: RunningCaddy, observerUrl: string, token: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PLAYWRIGHT_JUNIT_OUTPUT_FILE: "test-results/junit/deploy-browser.xml",
    // Node's side of the journeys (Playwright's request fixture) trusts the proxy's CA too.
    NODE_EXTRA_CA_CERTS: caddy.rootFile,
    [DEPLOY_ENV.url]: caddy.url,
    // Chromium checks pins against the chain the server presents: the leaf and Caddy's intermediate.
    [DEPLOY_ENV.spki]: spkiSha256(caddy.intermediatePem),
    [DEPLOY_ENV.observer]: observerUrl,
    [DEPLOY_ENV.token]: token,
  };
}

function mlflowEnv(caddy: RunningCaddy, observerUrl: string, token: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A developer's own MLflow or TLS settings must not leak into the run.
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_") || key === "CURL_CA_BUNDLE" || key === "SSL_CERT_FILE") delete env[key];
  return Object.assign(env, {
    MLFLOW_TRACKING_URI: `${caddy.url}/p/${SLUG}`,
    MLFLOW_TRACKING_TOKEN: token,
    REQUESTS_CA_BUNDLE: caddy.rootFile,
    [DEPLOY_ENV.observer]: observerUrl,
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0",
    MLFLOW_HTTP_REQUEST_TIMEOUT: "300",
    MLFLOW_DISABLE_TELEMETRY: "true",
    DO_NOT_TRACK: "true",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
  });
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Lines of Cairn's output that report a failure (Next.js marks failed requests with ⨯). */
function errorLines(log: string): string[] {
  return log.split("\n").filter((line) => /\b(error|failed|unhandled|exception)\b|⨯/i.test(line));
}

const xml = (text: string) => text.replace(/[<>&"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot" }[c]};`);

/** One check of this script as a JUnit file, so that `npm test` counts it with the suites. */
function writeCheck(file: string, name: string, failure: string | null): void {
  const body = failure === null ? "" : `<failure message="${xml(failure.split("\n")[0]!)}">${xml(failure)}</failure>`;
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="deploy" tests="1" failures="${failure === null ? 0 : 1}"><testcase classname="deploy" name="${xml(name)}">${body}</testcase></testsuite></testsuites>\n`,
  );
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  const started = Date.now();
  await checkHostName();
  if (!existsSync(chromium)) throw new Error(`Chromium not found at ${chromium}: apt-get install chromium, or set CHROMIUM_PATH`);
  await ensureVenv(VENV, REQUIREMENTS);

  const [cairnPort, tlsPort, idpPort] = [await freePort(), await freePort(), await freePort()];
  const publicUrl = `https://${DEPLOY_HOSTNAME}:${tlsPort}`;
  const observer = await startObserver();
  let stopIdentityProvider: (() => Promise<void>) | undefined;
  let backend: Backend | undefined;
  let server: CairnServer | undefined;
  let caddy: RunningCaddy | undefined;
  let memory: MemoryReport[] = [];
  const stop = async () => {
    current?.kill("SIGKILL");
    await caddy?.stop();
    await server?.stop();
    await backend?.drop();
    await stopIdentityProvider?.();
    memory = observer.memoryReports;
    await observer.close();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop().then(() => process.exit(130)));

  const results: { label: string; ok: boolean; took: string }[] = [];
  try {
    stopIdentityProvider = await startIdentityProvider({ port: idpPort, cairnUrl: publicUrl });
    backend = await freshBackend("deploy");
    server = await launchCairn(backend, {
      port: cairnPort,
      name: "deploy",
      env: {
        CAIRN_PUBLIC_URL: publicUrl,
        CAIRN_SMTP_URL: observer.smtpUrl,
        CAIRN_MAIL_FROM: `Cairn <cairn@${DEPLOY_HOSTNAME}>`,
        CAIRN_OIDC_ISSUER: oidcIssuer(idpPort),
        CAIRN_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        CAIRN_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        CAIRN_OIDC_NAME: "Test SSO",
        CAIRN_SIGNUP_DOMAINS: OIDC_ALLOWED_DOMAIN,
        // The webhook receiver is the observer, on loopback.
        CAIRN_WEBHOOK_ALLOWED_NETWORKS: "127.0.0.0/8",
      },
    });
    observer.watchMemory(server.pid);
    caddy = await startCaddy({ hostname: DEPLOY_HOSTNAME, tlsPort, upstream: `127.0.0.1:${cairnPort}` });
    console.log(`Caddyfile:\n${caddy.caddyfile}`);
    await cli(server, ["users", "create", "--email", ADMIN.email, "--password", ADMIN.password, "--name", ADMIN.name, "--admin"]);
    await cli(server, ["projects", "create", "--slug", SLUG, "--name", PROJECT_NAME, "--owner", ADMIN.email]);
    const token = await cli(server, ["tokens", "create", "--email", ADMIN.email, "--name", "deployment-check"]);
    console.log(
      `Cairn (${backend.kind}) at ${publicUrl} through Caddy, up in ${seconds(started)} (logs: test-results/cairn-faults-deploy-${cairnPort}.log, test-results/deploy-caddy-${tlsPort}.log)`,
    );

    let t = Date.now();
    const browser = await runStep(
      "playwright",
      "npx",
      ["playwright", "test", "-c", "tests/deploy/playwright.config.ts", "--reporter=list,junit"],
      browserEnv(caddy, observer.url, token),
    );
    results.push({ label: "browser journeys", ok: browser, took: seconds(t) });
    t = Date.now();
    const python = path.join(ROOT, VENV, "bin", "python");
    const mlflow = await runStep(
      "pytest",
      python,
      ["-m", "pytest", "tests/deploy", "-v", "--junitxml=test-results/junit/deploy-mlflow.xml"],
      mlflowEnv(caddy, observer.url, token),
    );
    results.push({ label: "MLflow 3.x client over HTTPS", ok: mlflow, took: seconds(t) });
  } finally {
    await stop();
  }
  // Cairn answered everything, but did it log a failure on the way (an internal fetch, a job)?
  const logged = errorLines(server!.log());
  const quiet = logged.length === 0;
  writeCheck(
    "test-results/junit/deploy-server-log.xml",
    "Cairn logs no errors behind the proxy",
    quiet ? null : `Cairn logged ${logged.length} error line(s):\n${logged.slice(0, 20).join("\n")}`,
  );
  results.push({ label: `Cairn's log: ${quiet ? "no errors" : `${logged.length} error line(s), e.g. ${logged[0]}`}`, ok: quiet, took: "" });

  console.log(`\nDeployment tier (${seconds(started)}):`);
  for (const r of results) console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.label}${r.took ? ` (${r.took})` : ""}`);
  for (const m of memory)
    console.log(`  Cairn's process tree while 1 GiB streamed: ${mib(m.baselineBytes)} before, ${mib(m.peakBytes)} at the peak (${m.samples} samples)`);
  return results.length === 3 && results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
