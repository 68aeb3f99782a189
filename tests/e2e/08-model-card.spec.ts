import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { cairn, demo, DEMO_PASSWORD, seedDemo } from "./support/cli";
import { mlflowAs, signedInPage, signInDemo, snapshot } from "./support/journey";

const SLUG = "cards";
const MODEL = "churn-card";

test.describe.serial("model card", () => {
  test.beforeAll(async ({ request }) => {
    seedDemo(SLUG, { runs: 3, steps: 5 });
    const mlflow = mlflowAs(request, SLUG, cairn("tokens", "create", "--email", demo("linus"), "--name", "pipeline", "--project", SLUG));
    const { runs } = await mlflow("runs/search", { experiment_ids: ["1"], max_results: 1 });
    await mlflow("registered-models/create", { name: MODEL, description: "Flags customers likely to cancel next month." });
    await mlflow("model-versions/create", { name: MODEL, source: `runs:/${runs[0].info.run_id}/model`, run_id: runs[0].info.run_id });
  });

  test("a contributor writes the model's card, then the version's with a suggestion, from the keyboard, and exports it", async ({ page }) => {
    await signInDemo(page, "linus");
    await page.goto(`/p/${SLUG}/models/${MODEL}`);
    const modelCard = page.locator("#card");
    await expect(modelCard.getByText("Card 0/7")).toBeVisible();
    await modelCard.getByRole("button", { name: "Edit card" }).click();
    await modelCard.getByRole("textbox", { name: "Owners" }).fill("Retention analytics (#retention)");
    await modelCard.getByRole("button", { name: "Save card" }).click();
    await expect(modelCard.getByText("Retention analytics (#retention)")).toBeVisible();
    await expect(modelCard.getByText("Card 1/7")).toBeVisible();

    await page.goto(`/p/${SLUG}/models/${MODEL}/versions/1`);
    const card = page.locator("#card");
    await expect(card.getByText("from the model's card")).toBeVisible();
    await expect(card.getByText("Card 1/7")).toBeVisible();
    await card.getByRole("button", { name: "Edit card" }).click();
    // The description is offered as the intended use; the run's metrics as the evaluation.
    await card.getByRole("button", { name: "Use suggestion for intended use" }).click();
    await expect(card.getByRole("textbox", { name: "Intended use" })).toHaveValue("Flags customers likely to cancel next month.");
    await card.getByRole("button", { name: "Use suggestion for evaluation" }).click();
    const limitations = card.getByRole("textbox", { name: "Limitations" });
    await limitations.fill("Not validated for business accounts.");
    await snapshot(page, "80-model-card-edit");
    await limitations.press("Control+Enter");
    await expect(card.getByRole("button", { name: "Save card" })).toHaveCount(0);
    await expect(card.getByText("Not validated for business accounts.")).toBeVisible();
    await expect(card.getByText("Card 4/7")).toBeVisible();
    await snapshot(page, "81-model-card");

    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Export markdown" }).click()]);
    expect(download.suggestedFilename()).toBe(`${MODEL}-v1-card.md`);
    const markdown = await readFile((await download.path())!, "utf8");
    expect(markdown).toContain(`# Model card: ${MODEL} version 1`);
    expect(markdown).toContain("## Intended use\n\nFlags customers likely to cancel next month.");
    expect(markdown).toContain("## Owners\n\nRetention analytics (#retention)\n\n_From the model's card._");
    expect(markdown).toContain("## Lineage");
  });

  test("a maintainer requires a card with three sections; the request shows the card and its failing gate", async ({ browser }) => {
    const grace = await signedInPage(browser, demo("grace"), DEMO_PASSWORD);
    await grace.goto(`/p/${SLUG}/settings/promotions`);
    await grace.getByRole("button", { name: "Protect a target" }).first().click();
    const rule = grace.getByRole("dialog");
    await rule.getByLabel("Target kind").selectOption("alias");
    await rule.getByLabel("Alias name").fill("card-ready");
    await rule.getByRole("button", { name: "Add gate" }).click();
    await grace.getByRole("menuitem", { name: /Model card complete/ }).click();
    for (const section of ["Intended use", "Limitations", "Ethical considerations"]) await rule.getByLabel(section).check();
    await rule.getByRole("button", { name: "Protect target" }).click();
    await expect(rule).toHaveCount(0);
    await expect(grace.getByText("card has intended use, limitations, ethical considerations")).toBeVisible();

    const linus = await signedInPage(browser, demo("linus"), DEMO_PASSWORD);
    await linus.goto(`/p/${SLUG}/models/${MODEL}/versions/1`);
    await linus.getByRole("button", { name: "Request promotion" }).first().click();
    const dialog = linus.getByRole("dialog");
    await dialog.getByLabel("Target kind").selectOption("alias");
    await dialog.getByLabel("Alias").fill("card-ready");
    await dialog.getByLabel("Justification").fill("Card written.");
    await dialog.getByRole("button", { name: "Open request" }).click();
    await expect(linus).toHaveURL(new RegExp(`/p/${SLUG}/promotions/\\d+$`));
    await expect(linus.getByText("The card leaves ethical considerations empty")).toBeVisible();
    const margin = linus.getByRole("complementary", { name: "Request details" });
    await expect(margin.getByText("Card 4/7")).toBeVisible();
    await snapshot(linus, "82-request-card-gate");
    await margin.getByRole("link", { name: "Read version 1's card →" }).click();
    await expect(linus).toHaveURL(new RegExp(`/versions/1#card$`));
  });

  test("a viewer reads the card but cannot edit it", async ({ page }) => {
    await signInDemo(page, "alan");
    await page.goto(`/p/${SLUG}/models/${MODEL}/versions/1`);
    const card = page.locator("#card");
    await expect(card.getByText("Not validated for business accounts.")).toBeVisible();
    await expect(card.getByRole("button", { name: "Edit card" })).toHaveCount(0);
    await expect(card.getByRole("link", { name: "Export markdown" })).toBeVisible();
  });
});
