// The server process that scripts/serve.ts starts: `node server/http/next-server-main.js
// dev|start <port> [hostname]`. Without a hostname it listens on every interface.
import { startNextServer } from "./next-server.js";

const [mode, port, hostname] = process.argv.slice(2);
if ((mode !== "dev" && mode !== "start") || !port) {
  console.error("usage: next-server-main.js dev|start <port> [hostname]");
  process.exit(2);
}

const server = await startNextServer({ dev: mode === "dev", port: Number(port), hostname: hostname || undefined });
console.log(`cairn: ${mode === "dev" ? "development" : "production"} server listening on ${hostname || "all interfaces"}, port ${port}`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    // Stop taking connections, let answers in flight finish briefly, then go.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
