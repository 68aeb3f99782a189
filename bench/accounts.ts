import type postgres from "postgres";
import { cli, signIn } from "../tests/support/harness";
import type { BenchServer } from "./launcher";

const BENCH_EMAIL = "bench@cairn.example";
const BENCH_PASSWORD = "bench-password-123";

/** The bench user and a read-write token that is not restricted to a project. */
export async function createAccount(server: BenchServer): Promise<{ token: string }> {
  await cli(server, ["users", "create", "--email", BENCH_EMAIL, "--password", BENCH_PASSWORD, "--name", "Bench"]);
  return { token: await cli(server, ["tokens", "create", "--email", BENCH_EMAIL, "--name", "bench"]) };
}

export type BenchProject = { slug: string; id: string; experimentId: string };

/** A project owned by the bench user, with the ids of it and its Default experiment for SQL loading. */
export async function createProject(server: BenchServer, sql: postgres.Sql, slug: string): Promise<BenchProject> {
  await cli(server, ["projects", "create", "--slug", slug, "--name", slug, "--owner", BENCH_EMAIL]);
  const [row] = await sql<{ id: string; experimentId: string }[]>`
    select p.id, e.id as "experimentId"
    from projects p join experiments e on e.project_id = p.id and e.number = 0
    where p.slug = ${slug}`;
  if (!row) throw new Error(`Project ${slug} or its Default experiment not found after creation`);
  return { slug, ...row };
}

/** Signs in with the password the way the sign-in form does; returns the Cookie header of the session. */
export async function signInBench(base: string): Promise<string> {
  const { cookies, signedIn, response } = await signIn(base, BENCH_EMAIL, BENCH_PASSWORD);
  if (!signedIn) throw new Error(`Password sign-in gave no session (HTTP ${response.status})`);
  return cookies.header();
}
