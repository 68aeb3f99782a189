import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { OIDC_ALLOWED_DOMAIN } from "../e2e/support/constants";
import { ADMIN, invite, signIn, signOut } from "../e2e/support/journey";
import { deployEnv, SLUG } from "./support/constants";
import { waitFor, waitForMail, type ReceivedHook } from "./support/observer";

// What a person does at the public URL, https://cairn.test:<port>, every request through Caddy.
const publicUrl = deployEnv("url");
const observer = deployEnv("observer");
const INVITEE = { name: "Linus Torvalds", email: "linus@example.com", password: "kernel-hacker-91" };

/** Every cookie Cairn set is Secure, and the session cookie carries the `__Secure-` prefix. */
async function expectSecureSession(context: BrowserContext) {
  const cookies = await context.cookies(publicUrl);
  expect(cookies.filter((c) => !c.secure).map((c) => c.name)).toEqual([]);
  const session = cookies.filter((c) => c.name.includes("session-token"));
  expect(session.map((c) => c.name)).toEqual(["__Secure-authjs.session-token"]);
  expect(session[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", domain: new URL(publicUrl).hostname });
}

function linkIn(text: string, path: string): string {
  const link = new RegExp(`https?://\\S+${path}\\S*`).exec(text)?.[0];
  if (!link) throw new Error(`no link to ${path} in:\n${text}`);
  return link;
}

async function createRun(request: APIRequestContext): Promise<{ runId: string; runName: string }> {
  const call = async (route: string, body: unknown) => {
    const response = await request.post(`/p/${SLUG}/api/2.0/mlflow/${route}`, { headers: { authorization: `Bearer ${deployEnv("token")}` }, data: body });
    expect(response.ok(), await response.text()).toBe(true);
    return response.json();
  };
  const { experiment_id } = await call("experiments/create", { name: "journeys" });
  const { run } = await call("runs/create", { experiment_id, run_name: "brave-heron-7" });
  return { runId: run.info.run_id, runName: run.info.run_name };
}

test.describe.serial("a deployment behind a TLS proxy", () => {
  test("password sign-in stays at the public URL with a Secure session cookie", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    expect(new URL(page.url()).origin).toBe(publicUrl);
    await expectSecureSession(page.context());
  });

  test("an invitation arrives by e-mail with a link at the public URL, and is accepted from it", async ({ page, browser }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    const shown = await invite(page, SLUG, INVITEE.email, "contributor");
    const mail = await waitForMail(observer, INVITEE.email, /You are invited/);
    const link = linkIn(mail.text, "/invite/");
    expect(link).toBe(shown);
    expect(link.startsWith(`${publicUrl}/invite/`)).toBe(true);

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(link);
    await expect(invitee.getByText("You are invited as contributor")).toBeVisible();
    await invitee.getByLabel("Your name").fill(INVITEE.name);
    await invitee.getByLabel("Choose a password").fill(INVITEE.password);
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee).toHaveURL(`${publicUrl}/p/${SLUG}`);
    await expectSecureSession(invitee.context());
  });

  test("OIDC sign-in makes the round trip from the proxy to the identity provider and back", async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Test SSO" }).click();
    await page.locator('input[name="login"]').fill(`ada@${OIDC_ALLOWED_DOMAIN}`);
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`^${publicUrl.replace(/[.]/g, "\\.")}/projects`));
    await page.getByRole("button", { name: /Account menu for ada/ }).click();
    await expect(page.getByRole("menu")).toContainText(`ada@${OIDC_ALLOWED_DOMAIN}`);
    await expectSecureSession(page.context());
  });

  test("webhook payloads and notification e-mails link to the public URL", async ({ page, browser, request }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/p/${SLUG}/settings/webhooks`);
    await page.getByRole("button", { name: "Add webhook" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Payload URL").fill(`${observer}/hook`);
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Send test" }).click();
    const ping = await waitFor<ReceivedHook>(observer, "hooks", (h) => h.event === "ping");
    expect(ping.payload.url).toBe(`${publicUrl}/p/${SLUG}/settings/webhooks`);
    expect(ping.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const { runId, runName } = await createRun(request);
    await page.goto(`/p/${SLUG}/runs/${runId}`);
    const composer = page.getByRole("textbox", { name: "New comment" });
    await composer.fill("Numbers look right, ");
    await composer.pressSequentially("@Lin");
    await page.getByRole("listbox", { name: "People to mention" }).getByRole("option", { name: /Linus/ }).click();
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(page.getByRole("listitem", { name: /Comment by Grace Hopper/ })).toContainText(INVITEE.name);

    const mail = await waitForMail(observer, INVITEE.email, /mentioned you/);
    const link = linkIn(mail.text, `/p/${SLUG}/runs/`);
    expect(link).toBe(`${publicUrl}/p/${SLUG}/runs/${runId}`);
    const invitee = await (await browser.newContext()).newPage();
    await signIn(invitee, INVITEE.email, INVITEE.password);
    await invitee.goto(link);
    await expect(invitee.getByRole("heading", { name: runName })).toBeVisible();
  });

  test("sign-out ends the session and leaves no session cookie", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await signOut(page);
    expect(new URL(page.url()).origin).toBe(publicUrl);
    expect((await page.context().cookies(publicUrl)).filter((c) => c.name.includes("session-token"))).toEqual([]);
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/signin/);
  });
});
