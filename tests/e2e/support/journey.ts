import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { demo, DEMO_PASSWORD } from "./cli";

export const ADMIN = { name: "Grace Hopper", email: "grace@example.com", password: "compiler-1952" };

/** Saves a full-page screenshot into test-results/screenshots, for review. */
export async function snapshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);
}

/** Signs in one of the demo project's people by first name (`linus`, `grace`, `alan`…). */
export async function signInDemo(page: Page, name: string) {
  await signIn(page, demo(name), DEMO_PASSWORD);
}

/** A page in a browser context of its own (its own cookies), signed in, for a second person in one test. */
export async function signedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, password);
  return page;
}

/** Posts to the MLflow REST API of project `slug` with a token, as a client would, and returns the answer; any error fails the test. */
export function mlflowAs(request: APIRequestContext, slug: string, token: string) {
  return async (path: string, body: unknown) => {
    const response = await request.post(`/p/${slug}/api/2.0/mlflow/${path}`, { headers: { authorization: `Bearer ${token}` }, data: body });
    expect(response.ok(), await response.text()).toBe(true);
    return response.json();
  };
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** Invites `email` with `role` from the members page and returns the invitation link. */
export async function invite(page: Page, slug: string, email: string, role: string): Promise<string> {
  await page.goto(`/p/${slug}/settings/members`);
  await page.getByRole("button", { name: "Invite" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("E-mail").fill(email);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const link = await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return link;
}
