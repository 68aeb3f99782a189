import { spawn } from "node:child_process";
import type postgres from "postgres";
import { ROOT, type BenchServer } from "./launcher";

export const BENCH_EMAIL = "bench@cairn.example";
export const BENCH_PASSWORD = "bench-password-123";

/** The operator CLI against the bench database; returns its last line of output. */
export function cli(server: BenchServer, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/cairn.mjs", ...args], { cwd: ROOT, env: server.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`cairn ${args.slice(0, 2).join(" ")} failed (${code}):\n${output}`));
      else resolve(output.trim().split("\n").pop()!.trim());
    });
  });
}

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

/** A tiny cookie jar for the sign-in round trip. */
class Cookies {
  private jar = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Signs in with the password the way the sign-in form does; returns the Cookie header of the session. */
export async function signIn(base: string): Promise<string> {
  const cookies = new Cookies();
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  cookies.take(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.header() },
    body: new URLSearchParams({ email: BENCH_EMAIL, password: BENCH_PASSWORD, csrfToken, callbackUrl: `${base}/` }),
  });
  cookies.take(response);
  if (!/session-token=/.test(cookies.header())) throw new Error(`Password sign-in gave no session (HTTP ${response.status})`);
  return cookies.header();
}
