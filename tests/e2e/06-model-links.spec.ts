import { expect, test, type Browser, type Page } from "@playwright/test";
import { cairn } from "./support/cli";
import { E2E_BASE_URL } from "./support/constants";
import { snapshot } from "./support/journey";

const SLUG = "model-links";
const TRACKING_URI = `${E2E_BASE_URL}/p/${SLUG}`;
const MARA = { email: "mara@example.com", password: "signatures-matter" };
const MODEL = "fraud-scorer";

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.xgboost
  xgboost:
    xgb_version: 2.1.0
mlflow_version: 3.1.0
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "string", "name": "merchant_country", "required": true}]'
  outputs: '[{"type": "double", "required": true}]'
  params: null
`;
const WEIGHTS = "xgboost weights, as bytes";

/** What `mlflow.xgboost.log_model(model, name="model", signature=…, input_example=…)` sends from a training run. */
async function logModel(token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${TRACKING_URI}/api/2.0/mlflow/${path}`, {
      method,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };
  const upload = async (path: string, body: string) => {
    const response = await fetch(`${TRACKING_URI}/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: "PUT", headers, body });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const { experiment_id: experimentId } = await call("POST", "experiments/create", { name: "fraud-xgb" });
  const { run } = await call("POST", "runs/create", { experiment_id: experimentId, run_name: "xgb-depth-6", start_time: Date.now() });
  const { model } = await call("POST", "logged-models", { experiment_id: experimentId, name: "model", source_run_id: run.info.run_id });
  const dir = (model.info.artifact_uri as string).replace(/^mlflow-artifacts:\//, "");
  await upload(`${dir}/MLmodel`, MLMODEL);
  await upload(`${dir}/input_example.json`, JSON.stringify({ columns: ["amount", "merchant_country"], data: [[42.5, "FR"]] }));
  await upload(`${dir}/model.xgb`, WEIGHTS);
  await call("PATCH", `logged-models/${model.info.model_id}`, { model_id: model.info.model_id, status: "LOGGED_MODEL_READY" });
  await call("POST", "runs/update", { run_id: run.info.run_id, status: "FINISHED", end_time: Date.now() });
  return { runId: run.info.run_id as string, modelId: model.info.model_id as string, call };
}

async function signedIn(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(MARA.email);
  await page.getByLabel("Password").fill(MARA.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);
  return page;
}

test.describe.serial("runs and registered models, linked both ways", () => {
  let logged: Awaited<ReturnType<typeof logModel>>;

  test.beforeAll(async () => {
    cairn("users", "create", "--email", MARA.email, "--password", MARA.password, "--name", "Mara");
    cairn("projects", "create", "--slug", SLUG, "--name", "Model links", "--owner", MARA.email);
    logged = await logModel(cairn("tokens", "create", "--email", MARA.email, "--name", "trainer", "--project", SLUG));
  });

  test("a logged model is registered from its page with the keyboard, and its version says how to load it", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/logged-models/${logged.modelId}`);
    await page.getByRole("button", { name: "Register model" }).click();
    const dialog = page.getByRole("dialog", { name: "Register model" });
    await expect(dialog.getByLabel("Registered model")).toBeFocused();
    await page.keyboard.type(MODEL);
    await expect(dialog).toContainText(`Creates the registered model ${MODEL} with this as version 1.`);
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(`${TRACKING_URI}/models/${MODEL}/versions/1`);
    const signature = page.getByRole("table").filter({ has: page.getByText("Inputs", { exact: true }) });
    await expect(signature.getByRole("row", { name: /merchant_country string/ })).toBeVisible();
    await expect(page.getByText('"merchant_country"').first()).toBeVisible();
    await expect(page.getByText(`mlflow.pyfunc.load_model("models:/${MODEL}/1")`)).toBeVisible();
    await expect(page.getByText(`export MLFLOW_TRACKING_URI=${TRACKING_URI}`)).toBeVisible();
    await expect(page.getByText("Flavors: python_function, xgboost")).toBeVisible();
    const download = await page.getByRole("link", { name: "Download model.xgb" }).getAttribute("href");
    const file = await page.request.get(download!);
    expect(file.headers()["content-disposition"]).toContain("attachment");
    expect(await file.text()).toBe(WEIGHTS);
    await snapshot(page, "60-version-page");

    await page.getByRole("link", { name: `models:/${logged.modelId}` }).click();
    await expect(page).toHaveURL(`${TRACKING_URI}/logged-models/${logged.modelId}`);
    await expect(page.getByRole("link", { name: `${MODEL} v1` })).toBeVisible();
  });

  test("the run lists the versions registered from it, and a version held by an alias is served by it", async ({ browser }) => {
    await logged.call("POST", "registered-models/alias", { name: MODEL, alias: "champion", version: "1" });
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/runs/${logged.runId}`);
    const registered = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: `${MODEL} v1` }) });
    await expect(registered).toContainText("@champion");
    await registered.getByRole("link", { name: `${MODEL} v1` }).click();
    await expect(page).toHaveURL(`${TRACKING_URI}/models/${MODEL}/versions/1`);
    await expect(page.getByText(`mlflow models serve -m "models:/${MODEL}@champion" -p 5001`)).toBeVisible();
  });

  test("the run's logged model is registered again from the run page, as the next version of the existing model", async ({ browser }) => {
    const page = await signedIn(browser);
    await page.goto(`/p/${SLUG}/runs/${logged.runId}`);
    const row = page.getByRole("listitem").filter({ hasText: logged.modelId });
    await expect(row).toContainText("1 version");
    await row.getByRole("button", { name: "Register model" }).click();
    const dialog = page.getByRole("dialog", { name: "Register model" });
    await page.keyboard.type(MODEL);
    await expect(dialog).toContainText(`Adds the next version of ${MODEL}.`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${TRACKING_URI}/models/${MODEL}/versions/2`);
    await expect(page.getByText(`mlflow.pyfunc.load_model("models:/${MODEL}/2")`)).toBeVisible();
  });
});
