// `npm run dev` / `npm start`: runs Cairn's server (Next.js behind server/http/next-server.js) on
// the configured PostgreSQL, or, when DATABASE_URL is unset, on the embedded one, which this
// process owns and serves on a loopback port. Options: `-H <hostname>` (default: every interface)
// and `-p <port>` (default: PORT, or 3000).
import { spawn } from "node:child_process";
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
const serverArgs = [path.join(import.meta.dirname, "../server/http/next-server-main.js"), mode, port, ...(values.hostname ? [values.hostname] : [])];
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
