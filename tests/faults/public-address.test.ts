import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cli, freshBackend, launchCairn, type Backend, type CairnServer } from "./support/cairn";
import { signIn } from "./support/http";

/**
 * Cairn where people reach it: at a public URL that is not its bind address, behind proxies that
 * may or may not be trusted, with URLs a client got wrong. Each case failed on the server as it
 * was before the front server (server/http/next-server.js).
 */

const shared = inject("sharedServer");
const cliEnv = { env: { ...process.env, ...shared.env } };

async function status(url: string, init?: RequestInit): Promise<{ status: number; body: string; type: string }> {
  const response = await fetch(url, { redirect: "manual", ...init });
  return { status: response.status, body: await response.text(), type: response.headers.get("content-type") ?? "" };
}

/** Fifty failed sign-ins with the given forwarded chains, then the right password for a fresh account. */
async function signInAfterFiftyFailures(base: string, forwardedFor: (i: number) => string) {
  const email = `owner-of-the-address-${Date.now()}@faults.example`;
  const password = "a-right-password";
  await cli(cliEnv, ["users", "create", "--email", email, "--password", password]);
  for (let i = 0; i < 50; i++) {
    const attempt = await signIn(base, `guess-${i}-${Date.now()}@faults.example`, "guessed-password", { "x-forwarded-for": forwardedFor(i) });
    expect(attempt.signedIn).toBe(false);
  }
  return signIn(base, email, password, { "x-forwarded-for": forwardedFor(50) });
}

describe("a public URL that is not the bind address", () => {
  let backend: Backend;
  let server: CairnServer;
  beforeAll(async () => {
    backend = await freshBackend("public-url");
    // AUTH_URL is what Auth.js's own deployment guide tells people to set.
    server = await launchCairn(backend, { name: "public-url", env: { CAIRN_PUBLIC_URL: "https://cairn.test", AUTH_URL: "https://cairn.test" } });
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.drop();
  });

  it("serves every Auth.js endpoint, with callback URLs on the public origin", async () => {
    for (const path of ["/api/auth/providers", "/api/auth/session", "/api/auth/csrf"]) {
      const reply = await status(`${server.base}${path}`);
      expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    }
    const providers = (await (await fetch(`${server.base}/api/auth/providers`)).json()) as Record<string, { callbackUrl: string }>;
    expect(providers.credentials!.callbackUrl).toBe("https://cairn.test/api/auth/callback/credentials");
  });
});

describe("forwarded headers", () => {
  it("are believed from a trusted proxy, but only the hop it added: a client cannot pick its own address", async () => {
    // The shared server trusts loopback (the default): the test is the proxy, and the first entry
    // is what a client wrote itself, different on every attempt.
    const blocked = await signInAfterFiftyFailures(shared.base, (i) => `192.0.2.${i + 1}, 198.51.100.77`);
    expect(blocked.signedIn).toBe(false);
    expect(new URL(blocked.location).searchParams.get("code")).toMatch(/^throttled:\d+$/);
  });

  describe("from a peer that is not a trusted proxy", () => {
    let backend: Backend;
    let server: CairnServer;
    beforeAll(async () => {
      backend = await freshBackend("untrusted-peer");
      server = await launchCairn(backend, { name: "untrusted-peer", env: { CAIRN_TRUSTED_PROXIES: "192.0.2.200" } });
    });
    afterAll(async () => {
      await server?.stop();
      await backend?.drop();
    });

    it("are ignored: a client that invents a new address each time is still throttled as itself", async () => {
      const { env } = server;
      const email = `someone-${Date.now()}@faults.example`;
      await cli({ env }, ["users", "create", "--email", email, "--password", "a-right-password"]);
      for (let i = 0; i < 50; i++) {
        const attempt = await signIn(server.base, `guess-${i}@faults.example`, "guessed", { "x-forwarded-for": `203.0.113.${i + 1}` });
        expect(attempt.signedIn).toBe(false);
      }
      const blocked = await signIn(server.base, email, "a-right-password", { "x-forwarded-for": "203.0.113.99" });
      expect(new URL(blocked.location).searchParams.get("code")).toMatch(/^throttled:\d+$/);
    });

    it("cannot move the public origin", async () => {
      const providers = (await (
        await fetch(`${server.base}/api/auth/providers`, { headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } })
      ).json()) as Record<string, { callbackUrl: string }>;
      expect(new URL(providers.credentials!.callbackUrl).host).toBe(new URL(server.base).host);
    });
  });
});

describe("malformed requests", () => {
  it.each([
    [`/p/${shared.slug}/api/2.0/mlflow/logged-models/%FF%FE`, "application/json"],
    [`/p/${shared.slug}/api/2.0/mlflow-artifacts/artifacts/0/x/%C0%AE%C0%AE/y.txt`, "application/json"],
    ["/api/trpc/run.get%C0", "application/json"],
    [`/p/${shared.slug}/runs/%FF`, "text/plain; charset=utf-8"],
  ])("%s is a 400, never a 500", async (path, type) => {
    const reply = await status(`${shared.base}${path}`);
    expect({ status: reply.status, type: reply.type }).toEqual({ status: 400, type });
    if (path.includes("/api/2.0/")) expect(JSON.parse(reply.body)).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
  });

  it("TRACE is a 405", async () => {
    // fetch refuses to send TRACE.
    const code = await new Promise<number | undefined>((resolve, reject) => {
      http
        .request(`${shared.base}/api/health`, { method: "TRACE" }, (res) => resolve(res.resume().statusCode))
        .on("error", reject)
        .end();
    });
    expect(code).toBe(405);
  });
});

describe("the sign-in page's return address", () => {
  it.each(["//evil.example/x", "/\\evil.example/x", "/%09/evil.example", "https://evil.example/"])(
    "%s does not send a signed-in person off the site",
    async (callbackUrl) => {
      const { cookies } = await signIn(shared.base, shared.owner.email, shared.owner.password);
      const response = await fetch(`${shared.base}/signin?callbackUrl=${encodeURIComponent(callbackUrl).replaceAll("%2509", "%09")}`, {
        redirect: "manual",
        headers: { cookie: cookies.header() },
      });
      await response.arrayBuffer();
      const location = response.headers.get("location") ?? "";
      expect(response.status).toBe(307);
      expect(new URL(location, shared.base).origin).toBe(new URL(shared.base).origin);
    },
  );
});
