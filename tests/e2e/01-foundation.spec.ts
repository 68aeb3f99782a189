import { expect, test } from "@playwright/test";
import { OIDC_ALLOWED_DOMAIN } from "./support/constants";
import { ADMIN, invite, signIn, signOut, snapshot } from "./support/journey";

const SLUG = "fraud-detection";

test.describe.serial("foundation journeys", () => {
  test("the first visit sets up the first administrator", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await snapshot(page, "01-setup");
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("E-mail").fill(ADMIN.email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create administrator" }).click();
    await expect(page.getByText("Password must be at least 10 characters")).toBeVisible();
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create administrator" }).click();
    await expect(page).toHaveURL(/\/projects\/new$/);
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/(signin|projects)/);
  });

  test("sign out, a wrong password is refused, sign in again", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await signOut(page);
    await page.getByLabel("E-mail").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong e-mail or password" })).toBeVisible();
    await snapshot(page, "02-signin-error");
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  test("create a project", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page.getByText("No active projects yet")).toBeVisible();
    await snapshot(page, "03-projects-empty");
    await page.goto("/projects/new");
    await page.getByLabel("Name").fill("Fraud Detection");
    await expect(page.getByLabel("Slug")).toHaveValue(SLUG);
    await page.getByLabel("Description").fill("Card-fraud models scored in real time.");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${SLUG}$`));
    await expect(page.getByRole("heading", { name: "Fraud Detection" })).toBeVisible();
    await snapshot(page, "04-project");

    await page.goto("/projects/new");
    await page.getByLabel("Name").fill("Fraud Detection");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByText("This slug is taken")).toBeVisible();
  });

  test("an invited contributor signs up through the link and sees the project with their role", async ({ page, browser }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    const link = await invite(page, SLUG, "linus@example.com", "contributor");
    await expect(page.getByText("Pending invitations")).toBeVisible();
    await snapshot(page, "05-members");

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(link);
    await expect(invitee.getByText("You are invited as contributor")).toBeVisible();
    await invitee.getByLabel("Your name").fill("Linus");
    await invitee.getByLabel("Choose a password").fill("kernel-hacker-91");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee).toHaveURL(new RegExp(`/p/${SLUG}$`));
    await expect(invitee.getByText("contributor").first()).toBeVisible();

    await invitee.goto(link);
    await expect(invitee.getByText("This invitation has already been used.")).toBeVisible();
  });

  test("a viewer does not see the invite button", async ({ page, browser }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    const link = await invite(page, SLUG, "vera@example.com", "viewer");
    const viewer = await (await browser.newContext()).newPage();
    await viewer.goto(link);
    await viewer.getByLabel("Your name").fill("Vera");
    await viewer.getByLabel("Choose a password").fill("read-only-please");
    await viewer.getByRole("button", { name: "Create account and join" }).click();
    await expect(viewer).toHaveURL(new RegExp(`/p/${SLUG}$`));
    await viewer.goto(`/p/${SLUG}/settings/members`);
    await expect(viewer.getByRole("heading", { name: "Members" })).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Invite" })).toHaveCount(0);
    await expect(viewer.getByRole("combobox")).toHaveCount(0);
    await snapshot(viewer, "06-members-as-viewer");
  });

  test("an access token is shown once and works as a bearer token", async ({ page, request }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("training cluster");
    await dialog.getByLabel("Project").selectOption(SLUG);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const secret = await dialog.getByRole("textbox", { name: "Token" }).inputValue();
    expect(secret).toMatch(/^cairn_[A-Za-z0-9_-]{40}$/);
    await snapshot(page, "07-token-once");
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("cell", { name: /training cluster/ })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);
    await page.reload();
    await expect(page.locator("body")).not.toContainText(secret);
    await snapshot(page, "08-tokens");

    const me = await request.get("/api/trpc/account.me", { headers: { authorization: `Bearer ${secret}` } });
    expect(me.ok()).toBe(true);
    expect((await me.json()).result.data.json.email).toBe(ADMIN.email);
  });

  test("a person from an allow-listed domain signs in through OIDC", async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Test SSO" }).click();
    await page.locator('input[name="login"]').fill(`ada@${OIDC_ALLOWED_DOMAIN}`);
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/projects/);
    await page.getByRole("button", { name: /Account menu for ada/ }).click();
    await expect(page.getByRole("menu")).toContainText(`ada@${OIDC_ALLOWED_DOMAIN}`);
  });

  test("a person from another domain without an invitation is refused", async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Test SSO" }).click();
    await page.locator('input[name="login"]').fill("mallory@elsewhere.example");
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/signin\?error=not-invited/);
    await expect(page.getByRole("alert").filter({ hasText: "Ask a project owner for an invitation link" })).toBeVisible();
  });
});
