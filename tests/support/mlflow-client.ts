import { afterAll, expect } from "vitest";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readReply, type Reply } from "./http-reply";

/**
 * Calls Cairn's MLflow handlers in-process the way the Python client calls them over HTTP: JSON
 * bodies on POST, PATCH and DELETE, GET parameters as query strings with repeated keys for lists
 * and Python's `True`/`False` for booleans, credentials on every request.
 *
 * Import this module before anything that reaches the server: it points the artifact store at a
 * fresh folder (`artifactsDir`) before the environment is first read, so that tests can inspect
 * what was written, and what was not. The handlers are loaded on first use for the same reason.
 */
export const scratchDir = mkdtempSync(path.join(os.tmpdir(), "cairn-mlflow-"));
export const artifactsDir = path.join(scratchDir, "artifacts");
mkdirSync(artifactsDir);
process.env.CAIRN_ARTIFACTS_DIR = artifactsDir;
// These tests inspect the local store; a developer's S3 settings must not redirect them.
delete process.env.CAIRN_S3_BUCKET;
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));

const BASE = "http://cairn.test";

/** How a request authenticates: a token as Bearer (a plain string), basic auth, a raw header, or nothing. */
export type Credentials = string | { basic: { username: string; password: string } } | { authorization: string } | null;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
export type Query = Record<string, QueryValue>;

export type RawRequest = {
  query?: Query;
  /** An object is sent as JSON; a string, bytes or a stream are sent as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  credentials?: Credentials;
};

/** Python's `str()` of a query value: booleans are `True`/`False`. */
function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  const text = (v: string | number | boolean) => (typeof v === "boolean" ? (v ? "True" : "False") : String(v));
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, text(item));
    else params.append(key, text(value as string | number | boolean));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

function authorizationOf(credentials: Credentials): string | undefined {
  if (credentials === null) return undefined;
  if (typeof credentials === "string") return `Bearer ${credentials}`;
  if ("basic" in credentials) {
    const { username, password } = credentials.basic;
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  return credentials.authorization;
}

/**
 * The catch-all segments Next.js hands the route for a raw path: split on "/", each segment
 * percent-decoded once (so `..%2f` arrives as `../` inside one segment).
 */
function nextSegments(rawPath: string): string[] {
  return rawPath.split("/").map((segment) => decodeURIComponent(segment));
}

function buildRequest(method: string, url: string, init: RawRequest, fallback: Credentials): Request {
  const headers = new Headers(init.headers);
  const authorization = authorizationOf(init.credentials === undefined ? fallback : init.credentials);
  if (authorization && !headers.has("authorization")) headers.set("authorization", authorization);
  let body: BodyInit | undefined;
  let stream = false;
  if (init.body !== undefined) {
    if (typeof init.body === "string" || init.body instanceof Uint8Array || init.body instanceof ArrayBuffer) {
      body = init.body as BodyInit;
    } else if (init.body instanceof ReadableStream) {
      body = init.body;
      stream = true;
    } else {
      body = JSON.stringify(init.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
  }
  return new Request(url, { method, headers, body, ...(stream && { duplex: "half" }) } as RequestInit);
}

let handlers: Promise<{
  handleMlflowApi: (request: Request, slug: string, segments: string[]) => Promise<Response>;
  handleArtifactApi: (request: Request, slug: string, segments: string[]) => Promise<Response>;
}> | null = null;

function loadHandlers() {
  handlers ??= Promise.all([import("../../server/mlflow/handler"), import("../../server/mlflow/artifacts-handler")]).then(([tracking, artifacts]) => ({
    handleMlflowApi: tracking.handleMlflowApi,
    handleArtifactApi: artifacts.handleArtifactApi,
  }));
  return handlers;
}

/**
 * A client for one project, as `MLFLOW_TRACKING_URI=<cairn>/p/<slug>` with the token as
 * `MLFLOW_TRACKING_TOKEN`. Paths are relative to `/api/2.0/mlflow/` (tracking and registry) or to
 * `/api/2.0/mlflow-artifacts/artifacts/` (the artifact helpers), and are used raw: what you write
 * is what goes on the wire.
 */
export function mlflow(slug: string, credentials: Credentials) {
  const trackingUrl = (rawPath: string, query?: Query) => `${BASE}/p/${slug}/api/2.0/mlflow/${rawPath}${queryString(query)}`;
  const artifactUrl = (rawPath: string, query?: Query) => `${BASE}/p/${slug}/api/2.0/mlflow-artifacts/${rawPath}${queryString(query)}`;

  /** Any request to the tracking/registry API. */
  async function request(method: string, rawPath: string, init: RawRequest = {}): Promise<Reply> {
    const { handleMlflowApi } = await loadHandlers();
    const response = await handleMlflowApi(buildRequest(method, trackingUrl(rawPath, init.query), init, credentials), slug, nextSegments(rawPath));
    return readReply(response);
  }

  /**
   * Any request to the artifact proxy; `rawPath` is relative to `/api/2.0/mlflow-artifacts/`.
   * `segments` overrides what the router would hand over (to test undecoded paths).
   */
  async function artifactRequest(method: string, rawPath: string, init: RawRequest & { segments?: string[] } = {}): Promise<Response> {
    const { handleArtifactApi } = await loadHandlers();
    const segments = init.segments ?? nextSegments(rawPath);
    return handleArtifactApi(buildRequest(method, artifactUrl(rawPath, init.query), init, credentials), slug, segments);
  }

  return {
    slug,
    request,
    artifactRequest,
    get: (rawPath: string, query?: Query, init: RawRequest = {}) => request("GET", rawPath, { ...init, query }),
    post: (rawPath: string, body: unknown = {}, init: RawRequest = {}) => request("POST", rawPath, { ...init, body }),
    patch: (rawPath: string, body: unknown = {}, init: RawRequest = {}) => request("PATCH", rawPath, { ...init, body }),
    delete: (rawPath: string, body?: unknown, init: RawRequest = {}) => request("DELETE", rawPath, { ...init, body }),

    /** PUT a file to `artifacts/<path>`, as `log_artifact` does. */
    putArtifact: async (
      rawPath: string,
      body: Uint8Array | string | ReadableStream<Uint8Array>,
      contentType = "application/octet-stream",
      init: RawRequest & { segments?: string[] } = {},
    ) => readReply(await artifactRequest("PUT", `artifacts/${rawPath}`, { ...init, body, headers: { "content-type": contentType, ...init.headers } })),
    /** GET a file; `bytes` is the body as downloaded (use `response` headers for the rest). */
    getArtifact: async (rawPath: string, init: RawRequest & { segments?: string[] } = {}) => {
      const response = await artifactRequest("GET", `artifacts/${rawPath}`, init);
      const bytes = Buffer.from(await response.arrayBuffer());
      let json: any;
      if (response.headers.get("content-type")?.includes("json")) json = JSON.parse(bytes.toString("utf8"));
      return { status: response.status, json, text: json === undefined ? "" : bytes.toString("utf8"), bytes, headers: response.headers, response };
    },
    /** The proxy's directory listing, `GET artifacts?path=`. */
    listArtifacts: async (dir?: string, init: RawRequest = {}) =>
      readReply(await artifactRequest("GET", "artifacts", { ...init, query: dir === undefined ? {} : { path: dir } })),
    deleteArtifact: async (rawPath: string, init: RawRequest & { segments?: string[] } = {}) =>
      readReply(await artifactRequest("DELETE", `artifacts/${rawPath}`, init)),
  };
}

export type MlflowClient = ReturnType<typeof mlflow>;

/** The parts of an error reply that tests compare: status, MLflow's `error_code` and message, and whether it was JSON. */
export function failureOf(reply: Reply) {
  return {
    status: reply.status,
    json: (reply.response.headers.get("content-type") ?? "").includes("application/json"),
    error_code: reply.json?.error_code as string | undefined,
    message: reply.json?.message as string | undefined,
  };
}

/** What `failureOf` gives for an MLflow error with this status and code (and, optionally, message). */
export function mlflowError(status: number, code: string, message: RegExp | string = /\S/) {
  return { status, json: true, error_code: code, message: typeof message === "string" ? message : expect.stringMatching(message) };
}
