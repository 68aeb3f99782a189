/**
 * Talking to a running Cairn over real HTTP: the MLflow REST API with a token, tRPC with a token or
 * a browser session, and password sign-in through next-auth as a browser does it.
 */
import type { Cookies } from "../../support/harness";
import { readReply, type Reply } from "../../support/http-reply";

export { Cookies, SESSION_COOKIE, signIn } from "../../support/harness";

type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, typeof value === "boolean" ? (value ? "True" : "False") : String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** An MLflow client for one project, as MLFLOW_TRACKING_URI=<base>/p/<slug> with MLFLOW_TRACKING_TOKEN. */
export function mlflowClient(base: string, slug: string, token: string) {
  const root = `${base}/p/${slug}/api/2.0`;
  const auth = { authorization: `Bearer ${token}` };
  async function request(method: string, path: string, body?: unknown, query?: Record<string, QueryValue>): Promise<Reply> {
    const response = await fetch(`${root}/mlflow/${path}${queryString(query)}`, {
      method,
      headers: body === undefined ? auth : { ...auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readReply(response);
  }
  return {
    base,
    slug,
    token,
    request,
    get: (path: string, query?: Record<string, QueryValue>) => request("GET", path, undefined, query),
    post: (path: string, body: unknown = {}) => request("POST", path, body),
    delete: (path: string, body: unknown = {}) => request("DELETE", path, body),
    /** Like post, but throws unless the answer is 200, and returns the JSON. */
    async ok(path: string, body: unknown = {}): Promise<any> {
      const r = await request("POST", path, body);
      if (r.status !== 200) throw new Error(`POST ${path} → ${r.status} ${r.text.slice(0, 300)}`);
      return r.json;
    },
    async read(path: string, query?: Record<string, QueryValue>): Promise<any> {
      const r = await request("GET", path, undefined, query);
      if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${r.text.slice(0, 300)}`);
      return r.json;
    },
    async putArtifact(artifactPath: string, body: Uint8Array | string, contentType = "application/octet-stream"): Promise<Reply> {
      return readReply(
        await fetch(`${root}/mlflow-artifacts/artifacts/${artifactPath}`, {
          method: "PUT",
          headers: { ...auth, "content-type": contentType },
          body: body as BodyInit,
        }),
      );
    },
    async getArtifact(artifactPath: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
      const response = await fetch(`${root}/mlflow-artifacts/artifacts/${artifactPath}`, { headers: auth });
      return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
    },
    async deleteArtifact(artifactPath: string): Promise<Reply> {
      return readReply(await fetch(`${root}/mlflow-artifacts/artifacts/${artifactPath}`, { method: "DELETE", headers: auth }));
    },
    async listArtifacts(dir: string): Promise<Reply> {
      return readReply(await fetch(`${root}/mlflow-artifacts/artifacts${queryString({ path: dir })}`, { headers: auth }));
    },
  };
}

export type MlflowClient = ReturnType<typeof mlflowClient>;

/** Every point of a metric, paging as the client does. */
export async function metricHistory(client: MlflowClient, runId: string, key: string): Promise<{ step: number; timestamp: number; value: number | string }[]> {
  const points: { step: number; timestamp: number; value: number | string }[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.read("metrics/get-history", { run_id: runId, metric_key: key, max_results: 25_000, page_token: pageToken });
    points.push(...((page.metrics ?? []) as typeof points));
    pageToken = page.next_page_token;
  } while (pageToken);
  return points;
}

/** tRPC over HTTP (superjson), with a token, a browser session's cookies, or nothing (public procedures). */
export function trpcClient(base: string, credentials: { token: string } | { cookies: Cookies } | null, extraHeaders: Record<string, string> = {}) {
  const headers = (): Record<string, string> => {
    if (!credentials) return { ...extraHeaders };
    return "token" in credentials
      ? { authorization: `Bearer ${credentials.token}`, ...extraHeaders }
      : { cookie: credentials.cookies.header(), ...extraHeaders };
  };
  const unwrap = (r: Reply) => {
    if (r.status !== 200) throw Object.assign(new Error(`tRPC ${r.status}: ${r.text.slice(0, 300)}`), { reply: r });
    return r.json.result.data.json;
  };
  return {
    async queryRaw(path: string, input?: unknown): Promise<Reply> {
      const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      return readReply(await fetch(`${base}/api/trpc/${path}${q}`, { headers: headers() }));
    },
    async mutateRaw(path: string, input: unknown, more: Record<string, string> = {}): Promise<Reply> {
      return readReply(
        await fetch(`${base}/api/trpc/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers(), ...more },
          body: JSON.stringify({ json: input }),
        }),
      );
    },
    async query(path: string, input?: unknown): Promise<any> {
      return unwrap(await this.queryRaw(path, input));
    },
    async mutate(path: string, input: unknown): Promise<any> {
      return unwrap(await this.mutateRaw(path, input));
    },
  };
}
