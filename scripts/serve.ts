// `npm run dev` / `npm start`: runs Next.js on the configured PostgreSQL, or, when DATABASE_URL is
// unset, on the embedded one, which this process owns and serves on a loopback port.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { env } from "../server/env.js";

const [mode = "dev", ...nextArgs] = process.argv.slice(2);
if (mode !== "dev" && mode !== "start") {
  console.error(`usage: serve.ts dev|start [next options]`);
  process.exit(2);
}

const config = env();
// A self-hosted server does not report usage to third parties.
const childEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
let embedded: EmbeddedDatabase | undefined;

if (!config.DATABASE_URL) {
  embedded = await openEmbeddedDatabase({ dataDir: config.CAIRN_DATA_DIR, port: config.CAIRN_PGLITE_PORT, borrow: false });
  childEnv.DATABASE_URL = embedded.url;
  console.log(`cairn: embedded PostgreSQL (PGlite) in ${config.CAIRN_DATA_DIR}/pglite, serving ${embedded.url}`);
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [nextBin, mode, ...nextArgs], { env: childEnv, stdio: "inherit" });

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
