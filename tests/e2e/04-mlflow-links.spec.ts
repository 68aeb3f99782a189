import { expect, test, type Browser, type Page } from "@playwright/test";
import { cairn, demo, DEMO_PASSWORD } from "./support/cli";
import { E2E_BASE_URL } from "./support/constants";

const SLUG = "mlflow-links";
const TRACKING_URI = `${E2E_BASE_URL}/p/${SLUG}`;

/** What a training script on a shared box sends: Linus's token, the operating system's `root`. */
async function logRunAsRoot(token: string): Promise<{ runId: string; experimentId: string; runName: string }> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${TRACKING_URI}/api/2.0/mlflow/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };
  const { experiment_id: experimentId } = await call("experiments/create", { name: "shared-box" });
  const { run } = await call("runs/create", {
    experiment_id: experimentId,
    user_id: "root",
    run_name: "from-the-gpu-box",
    start_time: Date.now(),
    tags: [{ key: "mlflow.user", value: "root" }],
  });
  await call("runs/update", { run_id: run.info.run_id, status: "FINISHED", end_time: Date.now() });
  return { runId: run.info.run_id, experimentId, runName: run.info.run_name };
}

async function signInHere(page: Page, name: string) {
  await page.getByLabel("E-mail").fill(demo(name));
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await signInHere(page, name);
  await expect(page).toHaveURL(/\/projects/);
  return page;
}

test.describe.serial("links the MLflow client prints", () => {
  let logged: Awaited<ReturnType<typeof logRunAsRoot>>;

  test.beforeAll(async () => {
    cairn("demo", "seed", "--project", SLUG, "--runs", "4", "--steps", "20", "--password", DEMO_PASSWORD);
    const token = cairn("tokens", "create", "--email", demo("linus"), "--name", "gpu box", "--project", SLUG);
    logged = await logRunAsRoot(token);
  });

  test("'View run … at' opens the run, after signing in, credited to the token's owner", async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    // Exactly as `🏃 View run <name> at: <tracking URI>/#/experiments/<id>/runs/<run id>` prints it.
    await page.goto(`${TRACKING_URI}/#/experiments/${logged.experimentId}/runs/${logged.runId}`);
    await expect(page).toHaveURL(/\/signin/);
    await signInHere(page, "ada");
    await expect(page).toHaveURL(`${E2E_BASE_URL}/p/${SLUG}/runs/${logged.runId}`);
    await expect(page.getByRole("heading", { name: logged.runName })).toBeVisible();
    await expect(page.getByText("Linus Torvalds")).toBeVisible();
    await expect(page.getByText("MLflow user")).toBeVisible();
  });

  test("'View experiment at' opens the experiment; a page Cairn lacks leaves a notice on the overview", async ({ browser }) => {
    const ada = await signedIn(browser, "ada");
    await ada.goto(`${TRACKING_URI}/#/experiments/${logged.experimentId}`);
    await expect(ada).toHaveURL(`${E2E_BASE_URL}/p/${SLUG}/experiments/${logged.experimentId}`);
    await expect(ada.getByRole("heading", { name: "shared-box" })).toBeVisible();
    // The runs table credits the person, and its User filter lists people.
    await expect(ada.getByRole("grid", { name: "Runs" }).getByRole("row").filter({ hasText: logged.runName })).toContainText("Linus Torvalds");
    await ada.getByRole("button", { name: "User" }).and(ada.locator("[aria-haspopup=menu]")).click();
    await expect(ada.getByRole("menuitemcheckbox", { name: /Linus Torvalds/ })).toBeVisible();
    await ada.keyboard.press("Escape");

    await ada.goto(`${TRACKING_URI}/#/prompts`);
    await expect(ada.getByRole("status").filter({ hasText: "Cairn has no page for the MLflow address" })).toContainText("#/prompts");
    // Still the overview (the trailing slash of the tracking URI is redirected away, the fragment kept).
    await expect(ada).toHaveURL(`${TRACKING_URI}#/prompts`);
  });
});
