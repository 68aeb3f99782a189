import { expect, test, type Browser, type Page } from "@playwright/test";
import { cairn, demo, DEMO_PASSWORD } from "./support/cli";
import { snapshot } from "./support/journey";

const SLUG = "dashboards";

async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(demo(name));
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);
  return page;
}

const rows = (page: Page) => page.getByRole("grid", { name: "Runs" }).getByRole("row");

test.describe.serial("dashboards", () => {
  let sharedView = "";

  test.beforeAll(() => {
    cairn("demo", "seed", "--project", SLUG, "--runs", "60", "--steps", "400", "--password", DEMO_PASSWORD);
  });

  test("the overview shows the leaderboard, activity and recent runs", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/settings`);
    // The demo seed already chose test/auc (threshold 0.8): the journey changes the threshold.
    await expect(ada.getByLabel("Metric")).toHaveValue("test/auc");
    await ada.getByLabel("Pass threshold").fill("0.85");
    await ada.getByRole("button", { name: "Save" }).last().click();
    // Leaving before the save is confirmed would abort it.
    await expect(ada.getByText("Leaderboard metric saved")).toBeVisible();
    await ada.goto(`/p/${SLUG}`);
    await expect(ada.getByRole("heading", { name: "Leaderboard" })).toBeVisible();
    await expect(ada.getByText("test/auc, higher is better")).toBeVisible();
    await expect(ada.getByRole("heading", { name: "Active this week" })).toBeVisible();
    await snapshot(ada, "10-overview");
  });

  test("search with OR, sort, choose columns, and share the view by its URL", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/runs`);
    await expect(rows(ada).nth(2)).toBeVisible();
    const filter = ada.getByRole("textbox", { name: "Filter runs" });

    await filter.fill("params.optimizer = 'adam' or");
    await filter.press("Enter");
    await expect(ada.getByRole("alert").filter({ hasText: /position/ })).toBeVisible();

    await filter.fill("params.optimizer = 'adam' or (params.optimizer = 'sgd' and metrics.`val/auc` > 0.6)");
    await filter.press("Enter");
    await expect(ada).toHaveURL(/q=/);
    await expect(rows(ada).nth(2)).toBeVisible();

    await ada.getByRole("button", { name: "Columns" }).click();
    await ada.getByRole("textbox", { name: "Search columns" }).fill("learning");
    // learning_rate varies across the demo runs, so it may be a default column already: check, not toggle.
    await ada.getByRole("checkbox", { name: /learning_rate/ }).check();
    // The demo logs test/auc on finished runs only, so it need not be among the default columns.
    await ada.getByRole("textbox", { name: "Search columns" }).fill("test/auc");
    await ada.getByRole("checkbox", { name: /test\/auc/ }).check();
    await ada.keyboard.press("Escape");
    await expect(ada.getByRole("columnheader", { name: /learning_rate/ })).toBeVisible();

    // Metrics sort highest first: clicks cycle descending, ascending, unsorted.
    const auc = ada.getByRole("columnheader", { name: /test\/auc/ });
    await auc.getByRole("button").click();
    await expect(auc).toHaveAttribute("aria-sort", "descending");
    await auc.getByRole("button").click();
    await expect(auc).toHaveAttribute("aria-sort", "ascending");
    await auc.getByRole("button").click();
    await expect(auc).not.toHaveAttribute("aria-sort");
    await auc.getByRole("button").click();
    await expect(auc).toHaveAttribute("aria-sort", "descending");
    await snapshot(ada, "11-runs-table");
    sharedView = ada.url();

    const grace = await signedIn(browser, "grace");
    await grace.goto(sharedView);
    await expect(grace.getByRole("textbox", { name: "Filter runs" })).toHaveValue(/params\.optimizer = 'adam' or/);
    await expect(grace.getByRole("columnheader", { name: /learning_rate/ })).toBeVisible();
    await expect(grace.getByRole("columnheader", { name: /test\/auc/ })).toHaveAttribute("aria-sort", "descending");
  });

  test("open a run, view a chart and zoom into it", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/runs`);
    await rows(ada).nth(2).getByRole("link").first().click();
    await expect(ada).toHaveURL(new RegExp(`/p/${SLUG}/runs/[0-9a-f]{32}`));
    const chart = ada.getByRole("figure", { name: /train\/loss/ });
    await expect(chart).toBeVisible();
    await expect(chart.getByText(/points/)).toBeVisible();
    const plot = chart.locator(".u-over");
    const box = (await plot.boundingBox())!;
    await ada.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await ada.mouse.down();
    await ada.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2, { steps: 5 });
    await ada.mouse.up();
    await expect(chart.getByRole("button", { name: "Reset zoom" })).toBeVisible();
    await expect(chart.getByText(/in view, all shown/)).toBeVisible();
    await snapshot(ada, "12-run");
  });

  test("compare three runs", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/runs`);
    for (const n of [2, 3, 4]) await rows(ada).nth(n).getByRole("checkbox").click();
    await ada.getByRole("link", { name: "Compare (3)" }).click();
    await expect(ada).toHaveURL(new RegExp(`/p/${SLUG}/compare\\?runs=`));
    await expect(ada.getByRole("heading", { name: /Parameters/ })).toBeVisible();
    await expect(ada.getByRole("heading", { name: /Metrics/ }).first()).toBeVisible();
    await snapshot(ada, "13-compare");
  });

  test("the charts view draws the runs in view, and follows the filter", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`/p/${SLUG}/runs`);
    await ada.getByRole("radio", { name: "Charts" }).click();
    await expect(ada).toHaveURL(/display=charts/);
    await expect(ada.getByText(/of \d+ runs in view/)).toBeVisible();
    const chart = ada.getByRole("figure", { name: /train\/loss/ });
    await expect(chart.locator("canvas")).toBeVisible();
    // One curve per charted run: the legend names ten of them.
    await expect(chart.getByRole("list", { name: "Runs" }).getByRole("listitem")).toHaveCount(10);
    const filter = ada.getByRole("textbox", { name: "Filter runs" });
    await filter.fill("params.optimizer = 'adam'");
    await filter.press("Enter");
    await expect(ada).toHaveURL(/display=charts/);
    await expect(ada).toHaveURL(/optimizer/);
    await expect(chart.locator("canvas")).toBeVisible();
    await snapshot(ada, "14-runs-charts");
  });

  test("a viewer sees no edit controls", async ({ browser }) => {
    const alan = await signedIn(browser, "alan");
    await alan.goto(`/p/${SLUG}/runs`);
    await rows(alan).nth(2).getByRole("checkbox").click();
    await expect(alan.getByRole("region", { name: "Selected runs" })).toBeVisible();
    await expect(alan.getByRole("button", { name: /Delete/ })).toHaveCount(0);
    await rows(alan).nth(2).getByRole("link").first().click();
    await expect(alan.getByRole("heading", { name: "Notes" })).toBeVisible();
    await expect(alan.getByRole("button", { name: "Edit notes" })).toHaveCount(0);
    await expect(alan.getByRole("textbox", { name: "New comment" })).toHaveCount(0);
  });
});
