// Compression, moved out of Next.js (next.config.js turns its own off) so that the level can follow
// the door. Next.js gzips every reply at zlib's default level 6: on a 100,000-point metric history
// (8 MB of JSON) that was 130 ms of a ~280 ms request. The API replies (MLflow REST, which an SDK
// reads whole, and tRPC, whose chart series run to megabytes) go at level 1 (55 ms, 9 % more
// bytes), or at brotli's quality 1 for a browser: the middleware's brotli default (quality 4) took
// 164 ms of the server's 424 ms on a 2.9 MB comparison of 100 runs, quality 1 about 15 ms, with
// fewer bytes than gzip at level 1. Pages and assets keep the defaults. Next.js flushes
// streamed pages through the `flush` this middleware adds to the response, as it does with its own.
import { Duplex } from "node:stream";
import { constants } from "node:zlib";
import compression from "compression";

const API = /^(\/p\/[^/]+\/api\/2\.0\/mlflow|\/api\/trpc)\//;
const fast = compression({ level: constants.Z_BEST_SPEED, brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } } });
const standard = compression();

/**
 * Sets up the reply's compression before Next.js writes it.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 */
export function compress(req, res) {
  const middleware = API.test(req.url ?? "/") ? fast : standard;
  middleware(/** @type {never} */ (req), /** @type {never} */ (res), () => {});
  res.once("close", () => {
    if (!res.writableFinished) releaseZlib(res);
  });
}

/**
 * When the client goes away mid-reply the middleware never ends its zlib stream, which then
 * outlives the request (Next.js guards its own the same way). The middleware routes `drain`
 * listeners to that stream, which is how it is found.
 * @param {import("node:http").ServerResponse} res
 */
function releaseZlib(res) {
  const noop = () => {};
  const stream = res.on("drain", noop);
  if (stream === res || !(stream instanceof Duplex)) {
    res.off("drain", noop);
    return;
  }
  stream.destroy();
}
