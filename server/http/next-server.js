// The HTTP server in front of Next.js's request handler (Next.js's documented custom server):
// it settles what Next.js cannot — which forwarded headers to believe, and paths that do not
// decode — and hands every other request to Next.js untouched, bodies streamed as they arrive.
import http from "node:http";
import next from "next";
import { env } from "../env.js";
import { compress } from "./compression.js";
import { applyForwardedHeaders, compileTrust } from "./forwarded.js";
import { hasMalformedPath, malformedPathReply } from "./malformed-url.js";
import { installFastTextEncoderStream } from "./text-encoder-stream.js";

// The MLflow REST API's own door (server/http/mlflow-door.ts), opened by the instrumentation in
// production once Next.js has compiled it; until then, and in development, Next.js routes it.
const MLFLOW_DOOR = Symbol.for("cairn.mlflowDoor");

/**
 * Where this server reaches itself: plain HTTP at its bind address (localhost when it binds every
 * interface).
 * @param {string | undefined} hostname
 * @param {number} port
 */
function ownOrigin(hostname, port) {
  if (!hostname || hostname === "0.0.0.0") return `http://localhost:${port}`;
  if (hostname === "::") return `http://[::1]:${port}`;
  return `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/**
 * Starts Next.js behind the front server and resolves once it listens.
 * @param {{ dev: boolean, hostname?: string, port: number }} options
 * @returns {Promise<http.Server>}
 */
export async function startNextServer({ dev, hostname, port }) {
  const trust = compileTrust(env().CAIRN_TRUSTED_PROXIES);
  installFastTextEncoderStream();
  // A Server Action that redirects renders its target by fetching it from this origin, which `next
  // start` would set. Without it Next.js pairs X-Forwarded-Proto with the bind address, and behind
  // a TLS proxy speaks https to this plain-HTTP server: every such redirect failed and cost a round trip.
  process.env.__NEXT_PRIVATE_ORIGIN = ownOrigin(hostname, port);
  const app = next({ dev, hostname: hostname ?? "localhost", port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    if (hasMalformedPath(req.url ?? "/")) {
      const reply = malformedPathReply(req.url ?? "/");
      res.writeHead(400, { "content-type": reply.contentType, "x-content-type-options": "nosniff", connection: "close" });
      res.end(reply.body);
      return;
    }
    // Route handlers cannot answer TRACE; Next.js would fail it with a 500.
    if (req.method === "TRACE") {
      res.writeHead(405, { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", connection: "close" });
      res.end();
      return;
    }
    applyForwardedHeaders(req, trust);
    compress(req, res);
    const door = /** @type {((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined} */ (
      /** @type {Record<symbol, unknown>} */ (globalThis)[MLFLOW_DOOR]
    );
    if (door?.(req, res)) return;
    void handle(req, res);
  });
  // Development mode's live reload travels over a WebSocket upgrade.
  if (dev) {
    const upgrade = app.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
  }
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve(undefined));
  });
  return server;
}
