/**
 * The container image, run without a container engine (CI has none): the runtime stage's files,
 * staged from the Dockerfile (stage-image.ts), started with its CMD and ENV as a non-root user, and
 * driven the way an operator and a training script use a fresh container.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, chownSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIND_ADDRESS, requireProductionBuild, serverBase, waitUntilReady } from "../support/cairn-process";
import { freePort, ROOT, signIn } from "../support/harness";
import { metricHistory, mlflowClient } from "../faults/support/http";
import { stageImage, type StagedImage } from "./stage-image";

// CI runs as root; the image's user is then played by nobody. A developer's own account is not root.
const asRoot = process.getuid!() === 0;
const owner = asRoot ? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };

let image: StagedImage;
let env: Record<string, string>;
let base: string;
let server: ChildProcess;
let serverExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let dropDatabase = async () => {};

/** argv as the image's user, in WORKDIR, with the container's environment only (like `docker exec`). */
function inContainer(argv: string[]): { command: string; args: string[]; options: { cwd: string; env: NodeJS.ProcessEnv } } {
  const full = asRoot ? ["setpriv", `--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--clear-groups", "--", ...argv] : argv;
  return { command: full[0]!, args: full.slice(1), options: { cwd: image.workdir, env: env as NodeJS.ProcessEnv } };
}

function execInContainer(argv: string[], timeoutMs = 60_000): { code: number | null; output: string } {
  const { command, args, options } = inContainer(argv);
  const result = spawnSync(command, args, { ...options, encoding: "utf8", timeout: timeoutMs });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function cli(args: string[]): string {
  const { code, output } = execInContainer(["node", "bin/cairn.mjs", ...args]);
  if (code !== 0) throw new Error(`cairn ${args.join(" ")} exited with ${code}:\n${output}`);
  return output.trim().split("\n").at(-1)!.trim();
}

/** Files under `dir`, by path relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => statSync(path.join(dir, p)).isFile());
}

beforeAll(async () => {
  requireProductionBuild();
  const started = Date.now();
  image = stageImage(ROOT, owner);
  const figures = Object.entries(image.timings).map(([step, ms]) => `  ${step}: ${(ms / 1000).toFixed(1)} s`);
  console.log(`image staged in ${((Date.now() - started) / 1000).toFixed(1)} s under ${image.root}\n${figures.join("\n")}`);

  // The base image gives its user a home folder.
  const home = path.join(image.root, "home", image.user);
  mkdirSync(home, { recursive: true });
  chownSync(home, owner.uid, owner.gid);
  const port = await freePort();
  env = {
    PATH: process.env.PATH!,
    HOME: home,
    ...image.env,
    // A container has its own network: on this shared machine the server takes a free port, and so
    // does the embedded database (54329 may be taken by another test).
    PORT: String(port),
    CAIRN_PGLITE_PORT: "0",
  };
  if (process.env.TEST_DATABASE_URL) {
    // `docker run -e DATABASE_URL=…` on a fresh database.
    const name = `cairn_image_${process.pid}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }

  // Test servers on this machine listen on loopback only; in a container the CMD listens on every interface.
  const { command, args, options } = inContainer([...image.cmd, "-H", BIND_ADDRESS]);
  server = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  serverExit = new Promise((resolve) => server.once("exit", (code, signal) => resolve({ code, signal })));
  const output: string[] = [];
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const log = createWriteStream(path.join(ROOT, "test-results", "image-cairn.log"));
  for (const stream of [server.stdout!, server.stderr!]) {
    stream.on("data", (d: Buffer) => {
      output.push(String(d));
      log.write(d);
    });
  }
  base = serverBase(port);
  const booting = Date.now();
  await waitUntilReady(base, server, output, 120_000);
  console.log(`server ready in ${((Date.now() - booting) / 1000).toFixed(1)} s (log: test-results/image-cairn.log)`);
});

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
    await serverExit;
  }
  await dropDatabase();
  image?.remove();
});

describe("the container image, without a container engine", () => {
  it("runs its CMD, node itself and not npm, as the image's non-root user with data in the /data volume", () => {
    expect(image.user).not.toMatch(/^(root|0)(:|$)/);
    expect(image.cmd[0]).toBe("node");
    expect(image.expose).toEqual(["3000"]);
    expect(image.volumes).toEqual([path.join(image.root, "data")]);
    expect(image.env.CAIRN_DATA_DIR).toBe(path.join(image.root, "data"));
    // The CMD's process is the one that gets `docker stop`'s SIGTERM: it must be Node, running as the user.
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    expect(/^Name:\s+(\S+)/m.exec(status)?.[1]).toBe("node");
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(owner.uid));
  });

  it("passes its HEALTHCHECK command", () => {
    expect(image.healthcheck.options).toMatchObject({ interval: expect.any(String), timeout: expect.any(String) });
    const { code, output } = execInContainer(image.healthcheck.command, 10_000);
    expect(code, output).toBe(0);
  });

  const admin = { email: "admin@image.example", password: "image-tier-password" };
  let token = "";

  it("sets up the first administrator from the CLI, who then signs in with the password", async () => {
    cli(["users", "create", "--email", admin.email, "--password", admin.password, "--admin"]);
    cli(["projects", "create", "--slug", "image", "--name", "Image smoke test", "--owner", admin.email]);
    token = cli(["tokens", "create", "--email", admin.email, "--name", "training"]);
    const { cookies, signedIn } = await signIn(base, admin.email, admin.password);
    expect(signedIn).toBe(true);
    const session = await (await fetch(`${base}/api/auth/session`, { headers: { cookie: cookies.header() } })).json();
    expect(session.user.email).toBe(admin.email);
  });

  let runId = "";
  let experimentId = "";
  const weights = randomBytes(50_000);

  it("takes an MLflow log-batch and an artifact, and gives them back", async () => {
    const client = mlflowClient(base, "image", token);
    experimentId = (await client.ok("experiments/create", { name: "smoke" })).experiment_id;
    runId = (await client.ok("runs/create", { experiment_id: experimentId, start_time: Date.now() })).run.info.run_id;
    const now = Date.now();
    await client.ok("runs/log-batch", {
      run_id: runId,
      params: [{ key: "lr", value: "0.01" }],
      metrics: [0, 1, 2].map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: now + step, step })),
      tags: [{ key: "stage", value: "smoke" }],
    });
    const run = (await client.read("runs/get", { run_id: runId })).run;
    expect(run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
    expect(run.data.tags).toContainEqual({ key: "stage", value: "smoke" });
    expect((await metricHistory(client, runId, "loss")).map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);
    const artifact = `${experimentId}/${runId}/artifacts/weights.bin`;
    expect((await client.putArtifact(artifact, weights)).status).toBe(200);
    const back = await client.getArtifact(artifact);
    expect(back.status).toBe(200);
    expect(back.bytes.equals(weights)).toBe(true);
  });

  it("writes artifacts, and the embedded database when there is no DATABASE_URL, under the /data volume", () => {
    const data = image.volumes[0]!;
    const stored = filesUnder(path.join(data, "artifacts")).filter((p) => p.endsWith(`${runId}/artifacts/weights.bin`));
    expect(stored).toHaveLength(1);
    expect(readFileSync(path.join(data, "artifacts", stored[0]!)).equals(weights)).toBe(true);
    if (!env.DATABASE_URL) expect(existsSync(path.join(data, "pglite", "PG_VERSION"))).toBe(true);
    // Nothing of the server's is owned by anyone but the image's user.
    for (const file of filesUnder(data)) expect(statSync(path.join(data, file)).uid).toBe(owner.uid);
  });

  it("stops cleanly on SIGTERM within seconds, after which the health check fails", async () => {
    const stopping = Date.now();
    server.kill("SIGTERM");
    const exit = await Promise.race([serverExit, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    expect(exit, "still running 15 s after SIGTERM").not.toBeNull();
    expect(exit).toEqual({ code: 0, signal: null });
    console.log(`stopped ${((Date.now() - stopping) / 1000).toFixed(1)} s after SIGTERM`);
    expect(execInContainer(image.healthcheck.command, 10_000).code).not.toBe(0);
  });
});
