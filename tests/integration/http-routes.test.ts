import { describe, expect, it } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "../../app/api/trpc/[trpc]/route";
import { GET as health } from "../../app/api/health/route";
import { makeUser, tokenActorOf } from "../support/factories";

const base = "http://cairn.test";

describe("tRPC over HTTP", () => {
  it("authenticates Bearer tokens and basic auth with the token as password", async () => {
    const user = await makeUser();
    const { secret } = await tokenActorOf(user);
    for (const authorization of [`Bearer ${secret}`, `Basic ${Buffer.from(`anyone:${secret}`).toString("base64")}`]) {
      const response = await trpcGet(new Request(`${base}/api/trpc/account.me`, { headers: { authorization } }));
      expect(response.status).toBe(200);
      expect((await response.json()).result.data.json.email).toBe(user.email);
    }
  });

  it("answers a bad token with 401 and the reason", async () => {
    const response = await trpcGet(new Request(`${base}/api/trpc/account.me`, { headers: { authorization: "Bearer cairn_wrong" } }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.json.message).toBe("Invalid access token");
    const anonymous = await trpcGet(new Request(`${base}/api/trpc/account.me`));
    expect(anonymous.status).toBe(401);
  });

  it("returns field-level errors for invalid input", async () => {
    const response = await trpcPost(
      new Request(`${base}/api/trpc/setup.createAdmin`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "not-an-email", name: "", password: "short" } }),
      }),
    );
    expect(response.status).toBe(400);
    const fields = (await response.json()).error.json.data.fieldErrors;
    expect(fields).toEqual({
      email: "Enter a valid e-mail address",
      name: "Enter a name",
      password: "Password must be at least 10 characters",
    });
  });

  it("refuses state-changing requests that a browser marks as cross-site", async () => {
    const user = await makeUser();
    const { secret } = await tokenActorOf(user);
    const forged = (headers: Record<string, string>) =>
      trpcPost(
        new Request(`${base}/api/trpc/project.create`, {
          method: "POST",
          headers: { "content-type": "application/json", host: "cairn.test", authorization: `Bearer ${secret}`, ...headers },
          body: JSON.stringify({ json: { slug: "forged", name: "Forged" } }),
        }),
      );
    const refused = async (response: Response) => response.status === 403 && (await response.text()).includes("Cross-site request refused");
    expect(await refused(await forged({ origin: "https://evil.example" }))).toBe(true);
    expect(await refused(await forged({ "sec-fetch-site": "cross-site" }))).toBe(true);
    // Same-site requests reach the procedure (which then refuses a token for a browser-only action).
    const sameSite = await forged({ origin: "http://cairn.test", "sec-fetch-site": "same-origin" });
    expect(await refused(sameSite.clone())).toBe(false);
    expect((await sameSite.json()).error.json.message).toContain("browser session");
  });

  it("reports health", async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
