import path from "node:path";
import { defineConfig } from "@playwright/test";
import e2e from "../../playwright.config";
import { DEPLOY_HOSTNAME, deployEnv } from "./support/constants";

// The deployment tier's journeys, against Cairn behind Caddy at https://cairn.test:<port>, which
// scripts/deploy-tests.ts starts. Chromium launches as in the browser tier, plus: cairn.test resolves
// to loopback, and the proxy's certificate is accepted by its CA's key, not by ignoring errors.
const launch = e2e.use!.launchOptions!;
const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  testDir: ".",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: path.join(root, "test-results/deploy"),
  use: {
    baseURL: deployEnv("url"),
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      ...launch,
      args: [...launch.args!, `--host-resolver-rules=MAP ${DEPLOY_HOSTNAME} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${deployEnv("spki")}`],
    },
  },
});
