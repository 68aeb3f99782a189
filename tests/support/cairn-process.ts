/**
 * The common core of every harness that starts Cairn's production server (browser journeys, the
 * MLflow and fuzz tiers, fault tests, the benchmark): the same launcher as `npm start`, bound to
 * loopback only (this machine's rule for test servers) and reached by a host name, as people
 * reach a deployment, never at its bind address.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./harness";

/** Where test servers listen. */
export const BIND_ADDRESS = "127.0.0.1";
/** The name tests reach them by: not the bind address, so that Host differs from it. */
const SERVER_HOST = "localhost";

export function serverBase(port: number): string {
  return `http://${SERVER_HOST}:${port}`;
}

export function requireProductionBuild(): void {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("No production build: run `npm run build` first (npm test does).");
}

/** `npm start` (scripts/serve.ts start) on `port`, with its output collected for failure reports. */
export function spawnCairn(env: NodeJS.ProcessEnv, port: number, options: { detached?: boolean } = {}): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "start", "-H", BIND_ADDRESS, "-p", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (d: Buffer) => output.push(String(d)));
  return { child, output };
}

/** Waits until `base`/api/health answers; fails early with the server's output if it exits. */
export async function waitUntilReady(base: string, child: ChildProcess, output: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Cairn exited during start-up:\n${output.join("")}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Cairn did not become ready within ${timeoutMs / 1000} s:\n${output.join("")}`);
}

/** SIGTERM, then SIGKILL after 10 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
