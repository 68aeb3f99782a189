import { expect, test, type Browser } from "@playwright/test";
import { cairn } from "./support/cli";
import { E2E_BASE_URL } from "./support/constants";
import { signedInPage, snapshot } from "./support/journey";

const SLUG = "monitoring";
const PROJECT = `${E2E_BASE_URL}/p/${SLUG}`;
const NADIA = { email: "nadia@example.com", password: "distributions-move" };
const MODEL = "churn-classifier";
const HOUR = 3_600_000;

type Call = (method: string, url: string, body: unknown) => Promise<unknown>;

function caller(token: string): Call {
  return async (method, url, body) => {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };
}

/** A registered model whose version 1 holds @champion, as MLflow's client would leave it. */
async function registerChampion(call: Call) {
  const mlflow = (path: string) => `${PROJECT}/api/2.0/mlflow/${path}`;
  await call("POST", mlflow("registered-models/create"), { name: MODEL });
  await call("POST", mlflow("model-versions/create"), { name: MODEL, source: "s3://models/churn/1" });
  await call("POST", mlflow("registered-models/alias"), { name: MODEL, alias: "champion", version: "1" });
}

/** A reference of young customers in Oslo and Bergen, then production traffic of older ones from elsewhere, with labels for half. */
async function sendShiftedTraffic(call: Call) {
  const api = (path: string) => `${PROJECT}/api/monitoring/v1/${path}`;
  const reference = Array.from({ length: 200 }, (_, i) => [20 + (i % 20), i % 2 ? "Oslo" : "Bergen", i % 3 === 0 ? 1 : 0]);
  await call("PUT", api("reference"), { model: MODEL, version: 1, rows: { columns: ["age", "city", "prediction"], data: reference } });
  const now = Date.now();
  const records = Array.from({ length: 300 }, (_, i) => ({
    id: `r-${i}`,
    timestamp: now - (i % 3) * HOUR,
    features: { age: 55 + (i % 20), city: i % 4 === 0 ? "Oslo" : "Tromsø" },
    prediction: i % 2,
  }));
  expect(await call("POST", api("records"), { model: MODEL, alias: "champion", records })).toEqual({ accepted: 300, duplicates: 0 });
  const labels = records.filter((_, i) => i % 2 === 0).map((r, i) => ({ id: r.id, label: i % 5 === 0 ? 1 : 0 }));
  expect(await call("POST", api("labels"), { model: MODEL, labels })).toEqual({ accepted: 150, duplicates: 0 });
}

const signedIn = (browser: Browser) => signedInPage(browser, NADIA.email, NADIA.password);

test.describe.serial("a model watched in production", () => {
  let call: Call;

  test.beforeAll(async () => {
    cairn("users", "create", "--email", NADIA.email, "--password", NADIA.password, "--name", "Nadia");
    cairn("projects", "create", "--slug", SLUG, "--name", "Monitoring", "--owner", NADIA.email);
    call = caller(cairn("tokens", "create", "--email", NADIA.email, "--name", "serving", "--project", SLUG));
    await registerChampion(call);
  });

  test("before any traffic, the monitoring page says how to start sending it", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/models/${MODEL}`);
    await page.getByRole("link", { name: "Monitoring" }).click();
    await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/monitoring$`));
    await expect(page.getByRole("heading", { name: "No production records yet" })).toBeVisible();
    await expect(page.getByText(`${E2E_BASE_URL}/p/${SLUG}/api/monitoring/v1`)).toBeVisible();
    await expect(page.getByRole("link", { name: "OpenAPI" })).toHaveAttribute("href", `/p/${SLUG}/api/monitoring/v1/openapi.json`);
    await expect(page.getByRole("row", { name: /@champion/ })).toContainText("no records yet");
    await page.getByRole("link", { name: "@champion" }).click();
    await expect(page.getByRole("heading", { name: "No records for @champion in the last 7 days" })).toBeVisible();
    await snapshot(page, "07-monitoring-empty");
  });

  test("with traffic, the target shows the drift heatmap, its worst columns and the production metric", async ({ browser }) => {
    await sendShiftedTraffic(call);
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/models/${MODEL}/monitoring`);
    await expect(page.getByRole("row", { name: /@champion/ })).toContainText("300");
    await page.getByRole("link", { name: "@champion" }).click();
    await expect(page.getByText("Last 7 days: 300 records, 150 labelled")).toBeVisible();

    const heatmap = page.getByRole("group", { name: /Drift heatmap of 3 columns/ });
    await heatmap.focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("End");
    // Worst column first: most customers now come from a city the reference never saw.
    await expect(page.locator("#drift-heatmap-readout")).toHaveText(/^city · hour from .* · PSI [\d.]+ \(major shift\)$/);
    await page.keyboard.press("ArrowDown");
    await expect(page.locator("#drift-heatmap-readout")).toHaveText(/^age · hour from .* · PSI [\d.]+ \(major shift\)$/);

    const city = page.getByRole("region", { name: /^city/ });
    await expect(city).toContainText("major shift");
    await expect(city.getByRole("row", { name: /^other/ })).toContainText("75.0%");
    await expect(page.getByRole("region", { name: /^age/ }).getByRole("row", { name: /^> / })).toContainText("100.0%");
    await expect(page.getByText(/PSI < 0\.1: stable/)).toBeVisible();
    await page.getByRole("link", { name: "Last 24 hours" }).click();
    await expect(page).toHaveURL(/range=24h/);
    await expect(page.getByText("Last 24 hours: 300 records, 150 labelled")).toBeVisible();
    await snapshot(page, "07-monitoring-target");
  });

  test("a maintainer saves the model's monitoring settings", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/models/${MODEL}/monitoring`);
    const form = page.getByRole("form", { name: "Monitoring settings" });
    await form.getByLabel("Task").selectOption("regression");
    await expect(form.getByLabel("Production metric")).toHaveValue("mae");
    await form.getByLabel("Production metric").selectOption("rmse");
    await form.getByLabel("Validation metric").fill("val_rmse");
    await form.getByLabel("Keep raw records (days)").fill("0");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByText("Keep raw records at least 1 day")).toBeVisible();
    await form.getByLabel("Keep raw records (days)").fill("14");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved");
    await page.reload();
    await expect(form.getByLabel("Task")).toHaveValue("regression");
    await expect(form.getByLabel("Production metric")).toHaveValue("rmse");
    await expect(form.getByLabel("Validation metric")).toHaveValue("val_rmse");
    await expect(form.getByLabel("Keep raw records (days)")).toHaveValue("14");
  });
});
