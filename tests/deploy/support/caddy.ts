/**
 * Caddy (Debian's package) as the TLS-terminating reverse proxy in front of Cairn, the way an
 * operator runs it: `caddy run` with a Caddyfile, a certificate for the public host name from
 * Caddy's own internal CA. This instance is ours alone — its state lives in a temporary folder
 * (XDG_DATA_HOME, XDG_CONFIG_HOME), its admin endpoint is off, it never touches the system's trust
 * store, and it listens on loopback only — so the package's systemd service, running or not, plays
 * no part.
 */
import { spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { stopProcess } from "../../support/cairn-process";
import { ROOT } from "../../support/harness";

/** The Caddyfile: TLS from the internal CA at `hostname:tlsPort` on 127.0.0.1, proxied to `upstream`. */
function caddyfile(options: { hostname: string; tlsPort: number; upstream: string }): string {
  return `{
	admin off
	skip_install_trust
	auto_https disable_redirects
	grace_period 2s
}

${options.hostname}:${options.tlsPort} {
	bind 127.0.0.1
	tls internal
	reverse_proxy ${options.upstream}
}
`;
}

/** The base64 SHA-256 of a certificate's public key (SPKI), as Chromium's pin flags take it. */
export function spkiSha256(pem: string): string {
  const der = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

/** A GET that trusts `ca` (and only it), for checks from this process. */
function httpsGet(url: string, ca: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, timeout: 10_000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (d: string) => (body += d));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
}

export type RunningCaddy = {
  /** `https://<hostname>:<tlsPort>` */
  url: string;
  /** The internal CA's root certificate: the file clients are told to trust, and its PEM. */
  rootFile: string;
  rootPem: string;
  /** The intermediate that signs the site certificate (Caddy sends it with the leaf). */
  intermediatePem: string;
  caddyfile: string;
  stop(): Promise<void>;
};

/** Starts Caddy and waits until `<url>/api/health` answers through it over verified TLS. */
export async function startCaddy(options: { hostname: string; tlsPort: number; upstream: string }): Promise<RunningCaddy> {
  const home = mkdtempSync(path.join(os.tmpdir(), "cairn-caddy-"));
  const config = caddyfile(options);
  const configFile = path.join(home, "Caddyfile");
  writeFileSync(configFile, config);
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
  };
  const child = spawn("caddy", ["run", "--config", configFile, "--adapter", "caddyfile"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const log = createWriteStream(path.join(ROOT, "test-results", `deploy-caddy-${options.tlsPort}.log`));
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (d: Buffer) => {
      output.push(String(d));
      log.write(d);
    });
  }
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const authority = path.join(env.XDG_DATA_HOME, "caddy/pki/authorities/local");
  const rootFile = path.join(authority, "root.crt");
  const url = `https://${options.hostname}:${options.tlsPort}`;
  const stop = async () => {
    await stopProcess(child);
    log.end();
    rmSync(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  let lastError = "";
  for (;;) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 200))]);
    if (failed) throw new Error(`caddy could not be started (${failed.message}): apt-get install caddy`);
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`caddy exited during start-up:\n${output.join("")}`);
    }
    if (existsSync(rootFile)) {
      try {
        const { status } = await httpsGet(`${url}/api/health`, readFileSync(rootFile, "utf8"));
        if (status === 200) break;
        lastError = `HTTP ${status}`;
      } catch (error) {
        lastError = String(error);
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Cairn did not answer through caddy at ${url} within 30 s (${lastError}):\n${output.join("")}`);
    }
  }
  return {
    url,
    rootFile,
    rootPem: readFileSync(rootFile, "utf8"),
    intermediatePem: readFileSync(path.join(authority, "intermediate.crt"), "utf8"),
    caddyfile: config,
    stop,
  };
}
