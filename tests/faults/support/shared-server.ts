import type { TestProject } from "vitest/node";
import { createOwner, freshBackend, launchCairn, type Account } from "./cairn";

export type SharedServer = {
  base: string;
  pid: number;
  /** The environment for the CLI (`cli(shared, …)`) to reach the server's database. */
  env: Record<string, string>;
  databaseUrl: string;
  slug: string;
  owner: Account;
};

declare module "vitest" {
  export interface ProvidedContext {
    sharedServer: SharedServer;
  }
}

/**
 * One Cairn (production build, fresh database) for the fault tests that do not crash or duplicate
 * a server: each test file creates its own experiments, runs and people in it.
 */
export default async function setup(project: TestProject) {
  const backend = await freshBackend("shared");
  const server = await launchCairn(backend, { name: "shared" });
  const slug = "faults";
  const owner = await createOwner(server, slug);
  const env: Record<string, string> = {};
  for (const key of ["DATABASE_URL", "CAIRN_DATA_DIR", "CAIRN_ARTIFACTS_DIR", "NODE_ENV"]) if (server.env[key]) env[key] = server.env[key]!;
  project.provide("sharedServer", { base: server.base, pid: server.pid, env, databaseUrl: server.databaseUrl(), slug, owner });
  return async () => {
    await server.stop();
    await backend.drop();
  };
}
