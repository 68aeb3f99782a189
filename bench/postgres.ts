import { spawnSync } from "node:child_process";
import net from "node:net";
import postgres from "postgres";
import { note } from "./progress";

export const DEFAULT_BENCH_DATABASE_URL = "postgres://cairn:cairn@127.0.0.1:5432/postgres";

type Sql = ReturnType<typeof postgres>;

/**
 * A TCP connection with Nagle's algorithm off. postgres.js leaves it on, and COPY writes its data
 * and its end as two small packets: the second then waits for the server's delayed ACK (40 ms on
 * Linux), which made COPY look ten times slower than it is.
 */
function noDelaySocket(options: { host: string[]; port: number[] }): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host[0]!, port: options.port[0]!, noDelay: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Connections for set-up, bulk loading and the raw-insert ceiling, quiet about notices. */
export function connect(url: string, max = 1): Sql {
  // `socket` (a factory returning a connected socket) is documented but missing from the typings.
  const options = { max, onnotice: () => {}, connect_timeout: 10, connection: { application_name: "cairn-bench" }, socket: noDelaySocket };
  return postgres(url, options as postgres.Options<Record<string, never>>);
}

async function probe(url: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const sql = connect(url);
  try {
    await sql`select 1`;
    return { ok: true };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { ok: false, code: e.code ?? "", message: e.message ?? String(error) };
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

const isLocal = (url: URL) => ["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname);

function asPostgres(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

/**
 * Makes sure the PostgreSQL server named by `url` answers. On this machine's default local server,
 * and only as root, it starts the cluster (`pg_ctlcluster 15 main start`) and creates the role of
 * the URL when they are missing; anywhere else it fails with what to do.
 */
async function ensurePostgres(url: string): Promise<void> {
  let state = await probe(url);
  if (state.ok) return;
  const parsed = new URL(url);
  const canFix = process.getuid?.() === 0 && isLocal(parsed);
  const help =
    `Cannot reach PostgreSQL at ${parsed.host} as ${decodeURIComponent(parsed.username)} (${state.message}). ` +
    `Start a PostgreSQL 15+ server and set BENCH_DATABASE_URL to a superuser connection (default ${DEFAULT_BENCH_DATABASE_URL}), ` +
    `or run with --pglite.`;
  if (!canFix) throw new Error(help);

  if ((state.code === "ECONNREFUSED" || state.code === "ENOENT") && (parsed.port || "5432") === "5432") {
    note("PostgreSQL is not running: pg_ctlcluster 15 main start");
    const started = spawnSync("pg_ctlcluster", ["15", "main", "start"], { encoding: "utf8" });
    if (started.status !== 0) {
      const output = `${started.stdout ?? ""}${started.stderr ?? ""}`.trim() || String(started.error ?? "");
      throw new Error(`${help}\npg_ctlcluster 15 main start failed (exit ${started.status}): ${output}`);
    }
    state = await probe(url);
    if (state.ok) return;
  }
  // 28P01: failed password authentication, which is also what a missing role looks like. An
  // existing role is never altered (other tools on the machine may rely on its password).
  if (["28P01", "28000"].includes(state.code)) {
    const role = decodeURIComponent(parsed.username);
    const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
    const created = asPostgres([
      "psql",
      "-v",
      "ON_ERROR_STOP=1",
      "-p",
      parsed.port || "5432",
      "-c",
      `do $$ begin
         if not exists (select from pg_roles where rolname = ${literal(role)}) then
           raise notice 'creating role %', ${literal(role)};
           execute format('create role %I with login superuser password %L', ${literal(role)}, ${literal(decodeURIComponent(parsed.password))});
         end if;
       end $$`,
    ]);
    if (!created.ok) throw new Error(`${help}\nCreating the role failed: ${created.output}`);
    if (created.output.includes("creating role")) note(`Created the superuser role ${role} for the benchmark`);
    state = await probe(url);
    if (state.ok) return;
  }
  throw new Error(help);
}

export type BenchDatabase = { url: string; drop(): Promise<void> };

/** Creates a fresh, uniquely named database next to `adminUrl` and returns its URL. */
export async function createBenchDatabase(adminUrl: string, keep: boolean, prefix = "cairn_bench"): Promise<BenchDatabase> {
  await ensurePostgres(adminUrl);
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = connect(adminUrl);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
