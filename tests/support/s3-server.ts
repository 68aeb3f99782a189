import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

// moto's S3 server stands in for any S3-compatible store. Pinned so every machine tests the same server.
const MOTO = "moto[server]==5.2.5";
const VENV = path.resolve(import.meta.dirname, "../../.cache/venv-moto");
const INSTALLED = path.join(VENV, ".cairn-installed");

const run = promisify(execFile);

export type S3TestServer = { endpoint: string; stop(): Promise<void> };

/**
 * Starts moto's S3 server on a free loopback port. The first run installs moto into
 * .cache/venv-moto (about a minute), so a fresh checkout needs only python3 with venv and pip.
 */
export async function startS3Server(): Promise<S3TestServer> {
  await installMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(VENV, "bin", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // moto logs every request: keep draining the pipe so it never blocks, and keep the tail for errors.
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  await waitUntilServing(endpoint, child, () => log);
  return { endpoint, stop: () => stopProcess(child) };
}

async function installMoto(): Promise<void> {
  if (existsSync(INSTALLED) && readFileSync(INSTALLED, "utf8") === MOTO) return;
  try {
    await run("python3", ["-m", "venv", "--clear", VENV]);
  } catch (error) {
    throw new Error(`The S3 tests need python3 with venv and pip to install moto (Debian: apt-get install python3-venv).\n${outputOf(error)}`, {
      cause: error,
    });
  }
  try {
    await run(path.join(VENV, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", MOTO], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`pip could not install ${MOTO} into ${VENV}.\n${outputOf(error)}`, { cause: error });
  }
  writeFileSync(INSTALLED, MOTO);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}:\n${log()}`);
    try {
      await fetch(endpoint);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill();
  });
}

function outputOf(error: unknown): string {
  const e = error as { code?: string; stderr?: string; stdout?: string; message: string };
  if (e.code === "ENOENT") return `${e.message} (is python3 on PATH?)`;
  return (e.stderr || e.stdout || e.message).trim().slice(-2000);
}
