import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { handleMlflowApi } from "../mlflow/handler";
import { errorResponse } from "../mlflow/errors";
import { baseSecurityHeaders } from "./security-headers.js";

/*
 * The MLflow REST API answered by the front server itself, before Next.js's request handler: the
 * same handler as the route (app/p/[slug]/api/2.0/mlflow/[...path]/route.ts), the same access
 * module and services, without Next.js's routing, its request and reply wrappers and its tracing.
 * Training scripts send these requests by the thousand (a log-batch every few hundred
 * milliseconds per run). Next.js compiles this module into the server's instrumentation, which
 * hands it to the front server (server/http/next-server.js) at start-up.
 */

/** `/p/<slug>/api/2.0/mlflow/<path>` with no empty, `.` or `..` segment: Next.js would normalise those. */
const PATH = /^\/p\/([^/?#]+)\/api\/2\.0\/mlflow\/((?:[^/?#]+\/)*[^/?#]+)(?:\?|$)/;
/** The methods the route exports; Next.js answers the others (HEAD, OPTIONS, …) itself. */
const METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);

const SECURITY_HEADERS = Object.entries(baseSecurityHeaders({ development: false }));

function requestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url!, `http://${req.headers.host ?? "localhost"}`), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.statusCode = response.status;
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
}

/**
 * Answers the request when it is an MLflow REST call and returns true; false leaves it to Next.js.
 */
function serveMlflowApi(req: IncomingMessage, res: ServerResponse): boolean {
  const match = METHODS.has(req.method ?? "") ? PATH.exec(req.url ?? "") : null;
  if (!match) return false;
  let slug: string, segments: string[];
  try {
    slug = decodeURIComponent(match[1]!);
    segments = match[2]!.split("/").map(decodeURIComponent);
  } catch {
    return false;
  }
  if (segments.some((s) => s === "." || s === "..")) return false;
  void (async () => {
    let response: Response;
    try {
      response = await handleMlflowApi(requestOf(req), slug, segments);
    } catch (error) {
      console.error(`cairn: ${req.method} ${req.url} failed`, error);
      response = errorResponse(500, "INTERNAL_ERROR", "Something went wrong on our side; the error was logged");
    }
    try {
      await send(res, response);
    } catch {
      // The client went away mid-reply; pipeline has released both streams.
    }
  })();
  return true;
}

/** Hands the door to the front server, which runs outside Next.js's module graph. */
export function openMlflowDoor(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("cairn.mlflowDoor")] = serveMlflowApi;
}
