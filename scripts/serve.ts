// `npm start` / `npm run dev`: runs Cairn's server (Next.js behind server/http/next-server.js) on
// the configured PostgreSQL, or, when DATABASE_URL is unset, on the embedded one, which this
// process owns and serves on a loopback port. `start` is the production server, built first if
// there is no build yet; `dev` is for working on Cairn. Options: `-H <hostname>` (default: every
// interface) and `-p <port>` (default: PORT, or 3000).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { env } from "../server/env.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { hostname: { type: "string", short: "H" }, port: { type: "string", short: "p" } },
});
const [mode = "dev"] = positionals;
if (mode !== "dev" && mode !== "start") {
  console.error(`usage: serve.ts dev|start [-H hostname] [-p port]`);
  process.exit(2);
}

const config = env();
const root = path.join(import.meta.dirname, "..");

if (mode === "start" && !existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("cairn: no production build yet: building it once (about a minute on two cores) ...");
  const started = Date.now();
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env } });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`cairn: built in ${Math.round((Date.now() - started) / 1000)} s`);
}
// A self-hosted server does not report usage to third parties.
const childEnv: NodeJS.ProcessEnv = {
  NEXT_TELEMETRY_DISABLED: "1",
  ...process.env,
  ...(mode === "start" ? { NODE_ENV: "production" as const } : {}),
};
let embedded: EmbeddedDatabase | undefined;

if (!config.DATABASE_URL) {
  embedded = await openEmbeddedDatabase({ dataDir: config.CAIRN_DATA_DIR, port: config.CAIRN_PGLITE_PORT, borrow: false });
  childEnv.DATABASE_URL = embedded.url;
  console.log(`cairn: embedded PostgreSQL (PGlite) in ${config.CAIRN_DATA_DIR}/pglite, serving ${embedded.url}`);
}

const port = values.port ?? process.env.PORT ?? "3000";
const serverArgs = [path.join(root, "server/http/next-server-main.js"), mode, port, ...(values.hostname ? [values.hostname] : [])];
const child = spawn(process.execPath, serverArgs, { env: childEnv, stdio: "inherit" });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await embedded?.close();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => void stop(code ?? (signal ? 1 : 0)));
