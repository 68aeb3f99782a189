import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureVenv, freePort, ROOT } from "../tests/support/harness";
import { WORK_DIR } from "./launcher";
import { createBenchDatabase } from "./postgres";

const VENV = ".cache/venv-mlflow-server";
const REQUIREMENTS = "bench/mlflow-requirements.txt";

export type MlflowServer = {
  base: string;
  version: string;
  /** uvicorn worker processes (`--workers`). */
  workers: number;
  /** What `--uvicorn-opts` passes on. */
  uvicorn: string;
  log: string;
  stop(): Promise<void>;
};

/** The pinned `mlflow==…` of the requirements file: the version the table names. */
function pinnedVersion(): string {
  const pin = /^mlflow==(\S+)$/m.exec(readFileSync(path.join(ROOT, REQUIREMENTS), "utf8"));
  if (!pin) throw new Error(`${REQUIREMENTS} does not pin mlflow==<version>`);
  return pin[1]!;
}

/**
 * MLflow's tracking server as its documentation sets up a team server: on its own fresh database
 * next to `adminUrl` (same PostgreSQL as Cairn), artifacts proxied to a temporary folder, one
 * uvicorn worker per core, bound to loopback. No authentication: MLflow has none by default, where
 * Cairn checks a token and the project membership on every request.
 */
export async function startMlflow(options: { adminUrl: string; keep: boolean }): Promise<MlflowServer> {
  await ensureVenv(VENV, REQUIREMENTS);
  const database = await createBenchDatabase(options.adminUrl, options.keep, "mlflow_bench");
  const artifacts = mkdtempSync(path.join(WORK_DIR, "mlflow-artifacts-"));
  const port = await freePort();
  const workers = os.cpus().length;
  const log = path.join(WORK_DIR, `mlflow-${port}.log`);
  const file = createWriteStream(log);
  // SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the venv has psycopg2.
  const store = database.url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
  const args = ["server", "--backend-store-uri", store, "--artifacts-destination", artifacts, "--host", "127.0.0.1", "--port", String(port)];
  // uvicorn's supervisor kills a worker that does not answer its health check within 5 s, and on a
  // busy 2-core machine a worker deep in a 1,000-point log-batch did not: its connections were cut
  // mid-reply. A minute lets a slow request finish, as gunicorn's default 30 s timeout would.
  const uvicorn = "--timeout-worker-healthcheck 60";
  // Its own process group, so that the uvicorn workers and the job runner stop with it.
  const child = spawn(path.join(ROOT, VENV, "bin", "mlflow"), [...args, "--workers", String(workers), "--uvicorn-opts", uvicorn], {
    cwd: WORK_DIR,
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: "true", DO_NOT_TRACK: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (d: Buffer) => file.write(d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    file.end();
    if (!options.keep) rmSync(artifacts, { recursive: true, force: true });
    await database.drop();
  };
  const base = `http://localhost:${port}`;
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mlflow server exited during start-up; see ${path.relative(ROOT, log)}`);
      if (Date.now() > deadline) throw new Error(`mlflow server did not answer /health within 180 s; see ${path.relative(ROOT, log)}`);
      const ready = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return { base, version: pinnedVersion(), workers, uvicorn, log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
