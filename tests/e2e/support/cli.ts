import { execFileSync } from "node:child_process";

/**
 * Runs the operator CLI against the journeys' Cairn (its database, or its embedded data folder,
 * borrowed through the running server), and returns what it printed.
 */
export function cairn(...args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (process.env.CAIRN_E2E_DATABASE_URL) env.DATABASE_URL = process.env.CAIRN_E2E_DATABASE_URL;
  else {
    delete env.DATABASE_URL;
    env.CAIRN_DATA_DIR = process.env.CAIRN_E2E_DATA_DIR;
  }
  return execFileSync(process.execPath, ["bin/cairn.mjs", ...args], { env, encoding: "utf8" }).trim();
}

/** The journeys choose the demo accounts' password (a seed otherwise makes a random one). */
export const DEMO_PASSWORD = "cairn-demo-password";
export const demo = (name: string) => `${name}@demo.cairn.dev`;

/** Seeds the demo project `slug` (its people, experiments, registered model) with the journeys' demo password. */
export function seedDemo(slug: string, size: { runs: number; steps: number }): void {
  cairn("demo", "seed", "--project", slug, "--runs", String(size.runs), "--steps", String(size.steps), "--password", DEMO_PASSWORD);
}
