import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cli, freshBackend, launchCairn, type Backend, type CairnServer } from "./support/cairn";
import { mlflowClient, SESSION_COOKIE, signIn, trpcClient, type Cookies } from "./support/http";

/**
 * The browser-facing defences, observed on the real server: security headers on every response,
 * the session cookie's flags, CSRF refusal with a real session cookie, sign-in throttling through
 * the real sign-in endpoint, and the sandbox on artifact previews (user content on our origin).
 */

const shared = inject("sharedServer");
const cliEnv = { env: { ...process.env, ...shared.env } };
let session: Cookies;

const expectSecurityHeaders = (headers: Headers, what: string) => {
  const csp = headers.get("content-security-policy") ?? "";
  expect(
    {
      frameAncestors: /(^|;)\s*frame-ancestors 'none'\s*(;|$)/.test(csp),
      objectSrc: /object-src 'none'/.test(csp),
      xFrameOptions: headers.get("x-frame-options"),
      referrerPolicy: ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"].includes(headers.get("referrer-policy") ?? ""),
      nosniff: headers.get("x-content-type-options"),
    },
    what,
  ).toEqual({ frameAncestors: true, objectSrc: true, xFrameOptions: "DENY", referrerPolicy: true, nosniff: "nosniff" });
};

/** The Set-Cookie line of the session cookie, split into its attributes. */
function sessionCookieOf(received: string[]) {
  const line = received.filter((l) => SESSION_COOKIE.test(l.split("=")[0]!.trim())).at(-1);
  expect(line, `a session cookie among ${received.map((l) => l.split("=")[0]).join(", ")}`).toBeDefined();
  const [pair, ...attributes] = line!.split(";").map((p) => p.trim());
  const flags = Object.fromEntries(attributes.map((a) => [a.split("=")[0]!.toLowerCase(), a.includes("=") ? a.slice(a.indexOf("=") + 1) : true]));
  return { name: pair!.split("=")[0]!, flags };
}

beforeAll(async () => {
  const signedIn = await signIn(shared.base, shared.owner.email, shared.owner.password);
  expect(signedIn.signedIn).toBe(true);
  session = signedIn.cookies;
});

describe("security headers", () => {
  it("are on every page, signed out and signed in, on redirects, errors and APIs", async () => {
    const signedOut = ["/", "/signin", "/setup", "/projects", `/p/${shared.slug}`, "/no-such-page", "/api/health", "/api/auth/csrf", "/api/trpc/account.me"];
    for (const path of signedOut) {
      const response = await fetch(`${shared.base}${path}`, { redirect: "manual" });
      expectSecurityHeaders(response.headers, `${path} (signed out, ${response.status})`);
    }
    const signedIn = ["/", "/projects", `/p/${shared.slug}`, `/p/${shared.slug}/runs`, `/p/${shared.slug}/models`, "/settings/account", "/api/trpc/account.me"];
    for (const path of signedIn) {
      const response = await fetch(`${shared.base}${path}`, { redirect: "manual", headers: { cookie: session.header() } });
      expect(response.status, path).toBeLessThan(500);
      expectSecurityHeaders(response.headers, `${path} (signed in, ${response.status})`);
    }
    const api = mlflowClient(shared.base, shared.slug, shared.owner.token);
    expectSecurityHeaders((await api.get("experiments/get", { experiment_id: "0" })).headers, "MLflow API");
    expectSecurityHeaders((await api.get("experiments/get", { experiment_id: "999999" })).headers, "MLflow API error");
  });
});

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax and Path=/, and not Secure over plain http", async () => {
    const { cookies } = await signIn(shared.base, shared.owner.email, shared.owner.password);
    const cookie = sessionCookieOf(cookies.received);
    expect(cookie.name).toBe("authjs.session-token");
    expect(cookie.flags).toMatchObject({ httponly: true, samesite: "Lax", path: "/" });
    expect(cookie.flags.secure).toBeUndefined();
    for (const line of cookies.received) expect(line, "every auth cookie is HttpOnly").toMatch(/;\s*HttpOnly/i);
  });

  it("is Secure (and __Secure- prefixed) when the request came through https", async () => {
    const { cookies, signedIn } = await signIn(shared.base, shared.owner.email, shared.owner.password, { "x-forwarded-proto": "https" });
    expect(signedIn).toBe(true);
    const cookie = sessionCookieOf(cookies.received);
    expect(cookie.name).toBe("__Secure-authjs.session-token");
    expect(cookie.flags).toMatchObject({ httponly: true, secure: true, samesite: "Lax", path: "/" });
  });

  describe("with CAIRN_SECURE_COOKIES=1", () => {
    let backend: Backend;
    let server: CairnServer;
    beforeAll(async () => {
      backend = await freshBackend("secure-cookies");
      server = await launchCairn(backend, { name: "secure-cookies", env: { CAIRN_SECURE_COOKIES: "1" } });
      await cli(server, ["users", "create", "--email", "secure@faults.example", "--password", "secure-cookie-password"]);
    });
    afterAll(async () => {
      await server?.stop();
      await backend?.drop();
    });

    it("is Secure even over plain http (behind a TLS proxy that does not say so)", async () => {
      const { cookies, signedIn } = await signIn(server.base, "secure@faults.example", "secure-cookie-password");
      expect(signedIn).toBe(true);
      const cookie = sessionCookieOf(cookies.received);
      expect(cookie.name).toBe("__Secure-authjs.session-token");
      expect(cookie.flags).toMatchObject({ httponly: true, secure: true, samesite: "Lax", path: "/" });
    });
  });
});

describe("cross-site requests with a real session cookie", () => {
  it("refuses state-changing tRPC calls that the browser marks as cross-site, and accepts same-origin ones", async () => {
    const browser = trpcClient(shared.base, { cookies: session });
    const name = `csrf-${Date.now()}`;
    const forgeries: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "https://sub.evil.example" },
    ];
    for (const forged of forgeries) {
      const reply = await browser.mutateRaw("token.create", { name, expiresInDays: 1 }, forged);
      expect({ status: reply.status, refused: reply.text.includes("Cross-site request refused") }, JSON.stringify(forged)).toEqual({
        status: 403,
        refused: true,
      });
    }
    expect((await browser.query("token.list")).filter((t: { name: string }) => t.name === name)).toEqual([]);

    const sameOrigin = await browser.mutateRaw("token.create", { name, expiresInDays: 1 }, { origin: shared.base, "sec-fetch-site": "same-origin" });
    expect(sameOrigin.status, sameOrigin.text).toBe(200);
    expect((await browser.query("token.list")).filter((t: { name: string }) => t.name === name)).toHaveLength(1);
  });

  it("never lets the session cookie alone write through the MLflow API", async () => {
    const name = `cookie-only-${Date.now()}`;
    const response = await fetch(`${shared.base}/p/${shared.slug}/api/2.0/mlflow/experiments/create`, {
      method: "POST",
      headers: { cookie: session.header(), "content-type": "application/json", origin: shared.base, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(401);
    const api = mlflowClient(shared.base, shared.slug, shared.owner.token);
    expect((await api.get("experiments/get-by-name", { experiment_name: name })).status).toBe(404);
  });
});

describe("sign-in throttling through the real sign-in endpoint", () => {
  it("blocks an e-mail after five failures, even with the right password, and says so", async () => {
    const email = `throttled-${Date.now()}@faults.example`;
    const password = "the-right-password";
    await cli(cliEnv, ["users", "create", "--email", email, "--password", password]);
    const from = { "x-forwarded-for": "192.0.2.10" };
    for (let i = 0; i < 5; i++) {
      const attempt = await signIn(shared.base, email, `wrong-password-${i}`, from);
      expect({ signedIn: attempt.signedIn, error: new URL(attempt.location).searchParams.get("error") }).toEqual({
        signedIn: false,
        error: "CredentialsSignin",
      });
    }
    const blocked = await signIn(shared.base, email, password, { "x-forwarded-for": "192.0.2.11" });
    expect(blocked.signedIn).toBe(false);
    expect(new URL(blocked.location).searchParams.get("code")).toMatch(/^throttled:\d+$/);
    // Someone else is not affected.
    expect((await signIn(shared.base, shared.owner.email, shared.owner.password, from)).signedIn).toBe(true);
  });

  it("blocks a client address after fifty failures across many e-mails", async () => {
    const email = `victim-${Date.now()}@faults.example`;
    const password = "another-right-password";
    await cli(cliEnv, ["users", "create", "--email", email, "--password", password]);
    const attacker = { "x-forwarded-for": "198.51.100.23" };
    for (let i = 0; i < 50; i++) {
      const attempt = await signIn(shared.base, `guess-${i}-${Date.now()}@faults.example`, "guessed-password", attacker);
      expect(attempt.signedIn).toBe(false);
    }
    const blocked = await signIn(shared.base, email, password, attacker);
    expect(blocked.signedIn).toBe(false);
    expect(new URL(blocked.location).searchParams.get("code")).toMatch(/^throttled:\d+$/);
    expect((await signIn(shared.base, email, password, { "x-forwarded-for": "198.51.100.24" })).signedIn).toBe(true);
  });
});

describe("artifact previews", () => {
  it("serve user files under a sandboxing CSP that lets no script run on Cairn's origin", async () => {
    const api = mlflowClient(shared.base, shared.slug, shared.owner.token);
    const experimentId = (await api.ok("experiments/create", { name: `preview-${Date.now()}` })).experiment_id;
    const run = (await api.ok("runs/create", { experiment_id: experimentId })).run;
    const dir = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    const files = {
      "report.html": ["text/html", "<script>fetch('/api/trpc/token.create',{method:'POST'})</script>"],
      "image.svg": ["image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
      "notes.txt": ["text/plain", "plain"],
    } as const;
    for (const [name, [type, body]] of Object.entries(files)) expect((await api.putArtifact(`${dir}/${name}`, body, type)).status).toBe(200);

    for (const name of Object.keys(files)) {
      const preview = await fetch(`${shared.base}/p/${shared.slug}/runs/${run.info.run_id}/artifacts/${name}`, { headers: { cookie: session.header() } });
      expect(preview.status, name).toBe(200);
      // Every CSP header sent is enforced: one of them must be the sandbox, with no scripts at all.
      const policies = (preview.headers.get("content-security-policy") ?? "").split(/,\s*(?=[a-z-]+-src\b|sandbox\b)/);
      const sandbox = policies.find((p) => /(^|;\s*)sandbox(\s*;|$)/.test(p) && /default-src 'none'/.test(p) && !/script-src/.test(p));
      expect(sandbox, `${name}: Content-Security-Policy ${JSON.stringify(policies)}`).toBeDefined();
      expect(preview.headers.get("x-content-type-options")).toBe("nosniff");
      expect(preview.headers.get("content-disposition")).toMatch(/^inline;/);

      const download = await fetch(`${shared.base}/p/${shared.slug}/runs/${run.info.run_id}/artifacts/${name}?download=1`, {
        headers: { cookie: session.header() },
      });
      expect(download.headers.get("content-type")).toBe("application/octet-stream");
      expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    }
  });
});
