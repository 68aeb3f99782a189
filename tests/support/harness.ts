/**
 * What every harness that drives a real Cairn from outside needs: the MLflow client and fuzz tiers
 * (scripts/), the fault tests and the benchmark. Ports, the operator CLI, Python virtual
 * environments, process memory from /proc, and a browser's password sign-in.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export function seconds(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)}s`;
}

/** A port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command from the repository root without a shell, capturing its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => resolve({ code: 127, output: output + String(error) }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The operator CLI (`node bin/cairn.mjs`) with a server's environment; returns its last line. */
export async function cli(server: { env: NodeJS.ProcessEnv }, args: string[]): Promise<string> {
  const { code, output } = await run(process.execPath, ["bin/cairn.mjs", ...args], server.env);
  if (code !== 0) throw new Error(`cairn ${args.slice(0, 2).join(" ")} failed (${code}):\n${output}`);
  return output.trim().split("\n").pop()!.trim();
}

/**
 * Creates the virtual environment `venv` from `requirements` with python3, unless one built from the
 * same requirements and Python version is already there.
 */
export async function ensureVenv(venv: string, requirements: string): Promise<void> {
  const version = await run("python3", ["-c", "import sys; print(sys.version)"]);
  if (version.code !== 0) throw new Error(`python3 is needed to build ${venv}:\n${version.output}`);
  const python = path.join(ROOT, venv, "bin", "python");
  const stamp = path.join(ROOT, venv, ".requirements.sha256");
  const hash = createHash("sha256")
    .update(version.output.trim())
    .update(readFileSync(path.join(ROOT, requirements)))
    .digest("hex");
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash) {
    console.log(`${venv}: up to date`);
    return;
  }
  const started = Date.now();
  console.log(`${venv}: installing ${requirements} ...`);
  mkdirSync(path.dirname(path.join(ROOT, venv)), { recursive: true });
  const created = await run("python3", ["-m", "venv", "--clear", venv]);
  if (created.code !== 0) throw new Error(`python3 -m venv ${venv} failed:\n${created.output}`);
  const installed = await run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "--requirement", requirements]);
  if (installed.code !== 0) throw new Error(`pip install -r ${requirements} failed:\n${installed.output}`);
  writeFileSync(stamp, `${hash}\n`);
  console.log(`${venv}: installed in ${seconds(started)}`);
}

/** Parent of every live process, from /proc/<pid>/stat (the command name may hold spaces). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      out.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** `pid` and its descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents()) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** The direct children of a process. */
export function childrenOf(pid: number): number[] {
  return [...parents()].filter(([, parent]) => parent === pid).map(([child]) => child);
}

/** Resident memory of `pid` and its descendants, in bytes. */
export function treeRss(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + rssOf(p), 0);
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A cookie jar for one browser. */
export class Cookies {
  private jar = new Map<string, string>();
  /** The raw Set-Cookie lines received, newest last. */
  readonly received: string[] = [];
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      this.received.push(line);
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(pattern: RegExp): boolean {
    return [...this.jar.keys()].some((k) => pattern.test(k));
  }
}

export const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token$/;

/**
 * Signs in with e-mail and password the way the sign-in page does (next-auth credentials, with its
 * CSRF token). Returns the jar and the final response of the callback (a redirect).
 */
export async function signIn(base: string, email: string, password: string, headers: Record<string, string> = {}) {
  const cookies = new Cookies();
  const csrfResponse = await fetch(`${base}/api/auth/csrf`, { headers });
  cookies.take(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookies.header(), origin: base },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/` }),
  });
  cookies.take(response);
  await response.arrayBuffer();
  return { cookies, response, signedIn: cookies.has(SESSION_COOKIE), location: response.headers.get("location") ?? "" };
}
