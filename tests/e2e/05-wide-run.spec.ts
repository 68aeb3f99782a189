import { expect, test, type Browser, type Page } from "@playwright/test";
import { cairn } from "./support/cli";
import { E2E_BASE_URL } from "./support/constants";
import { snapshot } from "./support/journey";
import { logWideRun, WIDE_RUN } from "../support/wide-run";

const SLUG = "wide-run";
const WREN = { email: "wren@example.com", password: "gradients-everywhere" };

/** The page may hold a screenful of charts, not one element per metric. */
const MAX_DOM_NODES = 5_000;

let runId = "";

async function signedIn(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(WREN.email);
  await page.getByLabel("Password").fill(WREN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);
  return page;
}

const charts = (page: Page) => page.getByRole("region", { name: "Charts" });
const section = (page: Page, name: string) => charts(page).getByRole("button", { name: new RegExp(`^${name} `) });

test.describe.serial("a run with 10,000 metric keys", () => {
  test.beforeAll(async () => {
    cairn("users", "create", "--email", WREN.email, "--password", WREN.password, "--name", "Wren");
    cairn("projects", "create", "--slug", SLUG, "--name", "Wide run", "--owner", WREN.email);
    const token = cairn("tokens", "create", "--email", WREN.email, "--name", "trainer", "--project", SLUG);
    runId = await logWideRun(`${E2E_BASE_URL}/p/${SLUG}`, token);
  });

  test("opens on one section of charts, with the rest closed and counted, in a small page", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/runs/${runId}`);
    // The first drawn chart: uPlot's canvas.
    await expect(charts(page).locator("canvas").first()).toBeVisible({ timeout: 15_000 });
    await expect(charts(page).getByText(`${(WIDE_RUN.keys + 2).toLocaleString("en-US")} metrics in ${WIDE_RUN.layers + 1} sections`)).toBeVisible();
    await expect(section(page, "Metrics")).toHaveAttribute("aria-expanded", "true");
    await expect(section(page, "layer0")).toHaveAttribute("aria-expanded", "false");
    await expect(section(page, "layer99")).toContainText(String(WIDE_RUN.units));
    // The single-point metric is a value, not a chart of one dot.
    await expect(charts(page).getByRole("definition").filter({ hasText: "0.973" })).toBeVisible();
    const nodes = await page.evaluate(() => document.getElementsByTagName("*").length);
    expect(nodes).toBeLessThan(MAX_DOM_NODES);
    await snapshot(page, "50-wide-run");
  });

  test("a section opens on its charts, and the metrics table scrolls through all 10,000 keys", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/runs/${runId}`);
    await section(page, "layer42").click();
    await expect(section(page, "layer42")).toHaveAttribute("aria-expanded", "true");
    await expect(charts(page).getByRole("heading", { name: "layer42/unit0/grad_norm" })).toBeVisible();
    const table = page.getByRole("region", { name: "Metrics table" });
    await page.getByRole("searchbox", { name: "Search the metrics table" }).fill("layer77/unit5/");
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table.getByText("layer77/unit5/grad_norm")).toBeVisible();
    expect(await page.evaluate(() => document.getElementsByTagName("*").length)).toBeLessThan(MAX_DOM_NODES);
  });

  test("search narrows every section at once; a pinned chart and a closed section survive a reload", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/runs/${runId}`);
    await page.getByRole("searchbox", { name: "Search metrics" }).fill("layer7/unit3/");
    await expect(charts(page).getByText(`1 of ${(WIDE_RUN.keys + 2).toLocaleString("en-US")} metrics`)).toBeVisible();
    await expect(charts(page).getByRole("heading", { name: "layer7/unit3/grad_norm" })).toBeVisible();
    await charts(page).getByRole("button", { name: "Pin layer7/unit3/grad_norm" }).click();
    await expect(charts(page).getByRole("button", { name: "Unpin layer7/unit3/grad_norm" }).first()).toBeVisible();
    await page.getByRole("searchbox", { name: "Search metrics" }).fill("");
    await section(page, "Metrics").click();
    await expect(section(page, "Metrics")).toHaveAttribute("aria-expanded", "false");
    // Let the layout save land before leaving.
    await page.waitForLoadState("networkidle");

    await page.reload();
    await expect(section(page, "Pinned")).toHaveAttribute("aria-expanded", "true");
    await expect(charts(page).getByRole("heading", { name: "layer7/unit3/grad_norm" }).first()).toBeVisible();
    await expect(section(page, "Metrics")).toHaveAttribute("aria-expanded", "false");
    await expect(charts(page).locator("canvas").first()).toBeVisible({ timeout: 15_000 });
  });
});
