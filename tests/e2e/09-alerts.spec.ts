import { expect, test } from "@playwright/test";
import { cairn, demo, seedDemo } from "./support/cli";
import { mlflowAs, signInDemo, snapshot } from "./support/journey";

const SLUG = "alerting";

test.describe.serial("alerts", () => {
  test.beforeAll(() => {
    seedDemo(SLUG, { runs: 2, steps: 3 });
  });

  test("a maintainer adds a rule from the keyboard; a failed run opens an alert, which they resolve", async ({ page, request }) => {
    await signInDemo(page, "grace");
    await page.goto(`/p/${SLUG}`);
    await page.getByRole("link", { name: "Alerts" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${SLUG}/alerts$`));
    // The demo's monitored model serves shifted traffic: its drift rule holds.
    await expect(page.getByText(/^Drift on '/).first()).toBeVisible();
    await page.getByLabel("Kind", { exact: true }).selectOption("run_failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/kind=run_failed/);
    await expect(page.getByText("No open alerts match")).toBeVisible();

    await page.getByRole("button", { name: "Add rule" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Failed training runs");
    await dialog.getByLabel("Kind").selectOption("run_failed");
    await expect(dialog.getByLabel("Experiment id")).toBeVisible();
    await dialog.getByLabel("Experiment id").fill("1");
    await snapshot(page, "90-alert-rule");
    await dialog.getByLabel("Experiment id").press("Enter");
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText("A run of experiment 1 fails")).toBeVisible();

    const mlflow = mlflowAs(request, SLUG, cairn("tokens", "create", "--email", demo("linus"), "--name", "trainer", "--project", SLUG));
    const { run } = await mlflow("runs/create", { experiment_id: "1", run_name: "diverged-lr-1", start_time: Date.now() });
    await mlflow("runs/update", { run_id: run.info.run_id, status: "FAILED", end_time: Date.now() });

    // Evaluated by the job queue, a few seconds after the change.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Run 'diverged-lr-1' in")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 40_000 });
    await snapshot(page, "91-alerts");
    await page.getByRole("button", { name: "Resolve" }).click();
    await expect(page.getByText("No open alerts match")).toBeVisible();
    await page.getByRole("link", { name: "Resolved" }).click();
    await expect(page.getByText("Run 'diverged-lr-1' in")).toBeVisible();
  });

  test("a viewer reads alerts and rules but manages nothing", async ({ page }) => {
    await signInDemo(page, "alan");
    await page.goto(`/p/${SLUG}/alerts?status=resolved&kind=run_failed`);
    await expect(page.getByText("Run 'diverged-lr-1' in")).toBeVisible();
    await expect(page.getByText("A run of experiment 1 fails")).toBeVisible();
    await expect(page.getByText("Maintainers manage the rules.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Add rule" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
  });

  test("a maintainer deletes a rule after confirming, and its alerts go with it", async ({ page }) => {
    await signInDemo(page, "grace");
    await page.goto(`/p/${SLUG}/alerts?status=resolved&kind=run_failed`);
    await page.getByRole("button", { name: "Delete Failed training runs" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete the rule Failed training runs?" });
    await dialog.getByRole("button", { name: "Keep the rule" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText("A run of experiment 1 fails")).toBeVisible();

    await page.getByRole("button", { name: "Delete Failed training runs" }).click();
    await dialog.getByRole("button", { name: "Delete rule" }).click();
    await expect(page.getByText("Rule deleted")).toBeVisible();
    await expect(page.getByText("A run of experiment 1 fails")).toHaveCount(0);
    await expect(page.getByText("Run 'diverged-lr-1' in")).toHaveCount(0);
  });
});
