import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { cairn, demo, DEMO_PASSWORD } from "./support/cli";
import { snapshot } from "./support/journey";

const SLUG = "reviews";
const MODEL = "fraud-model";

async function mlflow(request: APIRequestContext, token: string, path: string, body: unknown) {
  const response = await request.post(`/p/${SLUG}/api/2.0/mlflow/${path}`, { headers: { authorization: `Bearer ${token}` }, data: body });
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(demo(name));
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);
  return page;
}

test.describe.serial("promotion review", () => {
  test.beforeAll(async ({ request }) => {
    cairn("demo", "seed", "--project", SLUG, "--runs", "6", "--steps", "20", "--password", DEMO_PASSWORD);
    const linus = cairn("tokens", "create", "--email", demo("linus"), "--name", "pipeline", "--project", SLUG);
    const grace = cairn("tokens", "create", "--email", demo("grace"), "--name", "admin", "--project", SLUG);
    const { runs } = await mlflow(request, linus, "runs/search", { experiment_ids: ["1"], max_results: 2 });
    await mlflow(request, linus, "registered-models/create", { name: MODEL });
    for (const run of runs)
      await mlflow(request, linus, "model-versions/create", { name: MODEL, source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id });
    await mlflow(request, linus, "registered-models/alias", { name: MODEL, alias: "champion", version: "1" });
    const rule = await request.post("/api/trpc/promotion.saveRule", {
      headers: { authorization: `Bearer ${grace}` },
      data: { json: { projectSlug: SLUG, target: { kind: "alias", name: "champion" }, gates: [{ type: "run_status", status: "FINISHED" }] } },
    });
    expect(rule.ok(), await rule.text()).toBe(true);
  });

  test("a contributor requests, a maintainer is notified, mentions them back and approves; the alias moves", async ({ browser }) => {
    const linus = await signedIn(browser, "linus");
    await linus.goto(`/p/${SLUG}/models/${MODEL}`);
    await snapshot(linus, "20-model");
    await linus.getByRole("button", { name: "Request promotion" }).first().click();
    const dialog = linus.getByRole("dialog");
    await dialog.getByLabel("Version").selectOption("2");
    await dialog.getByLabel("Target kind").selectOption("alias");
    await dialog.getByLabel("Alias").fill("champion");
    await dialog.getByLabel("Justification").fill("Better recall on the **May holdout**; checked for leakage.");
    await dialog.getByRole("button", { name: "Open request" }).click();
    await expect(linus).toHaveURL(new RegExp(`/p/${SLUG}/promotions/\\d+$`));
    const requestUrl = new URL(linus.url()).pathname;

    const alan = await signedIn(browser, "alan");
    await alan.goto(requestUrl);
    await expect(alan.getByText("May holdout")).toBeVisible();
    await expect(alan.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(alan.getByRole("textbox", { name: "New comment" })).toHaveCount(0);
    await snapshot(alan, "25-request-as-viewer");

    const grace = await signedIn(browser, "grace");
    await expect(grace.getByRole("link", { name: /Notifications: \d+ unread/ })).toBeVisible();
    await grace.getByRole("link", { name: /Notifications/ }).click();
    await expect(grace).toHaveURL(/\/inbox/);
    await snapshot(grace, "21-inbox");
    await grace.getByRole("link", { name: new RegExp(`Review requested: ${MODEL} v2`) }).click();
    await expect(grace).toHaveURL(new RegExp(`${requestUrl}$`));
    await expect(grace.getByText("May holdout")).toBeVisible();

    const composer = grace.getByRole("textbox", { name: "New comment" });
    await composer.fill("Thanks ");
    await composer.pressSequentially("@Lin");
    await grace.getByRole("listbox", { name: "People to mention" }).getByRole("option", { name: /Linus/ }).click();
    await composer.pressSequentially(" looks right to me.");
    await grace.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(grace.getByRole("listitem", { name: /Comment by Grace Hopper/ })).toContainText("Linus Torvalds");
    await snapshot(grace, "22-request-review");

    await grace.getByRole("button", { name: "Approve" }).click();
    await expect(grace.getByText(/applied/i).first()).toBeVisible();
    await grace.goto(`/p/${SLUG}/models/${MODEL}`);
    await expect(grace.getByText(/@champion/).first()).toBeVisible();
    await snapshot(grace, "23-model-after");

    await linus.goto("/inbox");
    await expect(linus.getByRole("link", { name: /mentioned you|Grace Hopper/ }).first()).toBeVisible();
    await expect(linus.getByRole("link", { name: new RegExp(`Promoted: ${MODEL} v2`) })).toBeVisible();
  });

  test("the timeline tells who put version 2 in place, and why", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/models/${MODEL}`);
    await expect(ada.getByText(/promotion applied|Promoted/i).first()).toBeVisible();
    await snapshot(ada, "24-timeline");
  });

  test("a viewer reads the closed request but cannot ask for promotions", async ({ browser }) => {
    const alan = await signedIn(browser, "alan");
    await alan.goto(`/p/${SLUG}/promotions`);
    await alan.getByRole("link", { name: /Closed/ }).click();
    await alan
      .getByRole("link", { name: new RegExp(MODEL) })
      .first()
      .click();
    await expect(alan.getByText("May holdout")).toBeVisible();
    await alan.goto(`/p/${SLUG}/models/${MODEL}`);
    await expect(alan.getByRole("button", { name: "Request promotion" })).toHaveCount(0);
  });
});
