import { describe, expect, inject, it } from "vitest";
import { mlflowClient } from "./support/http";

/**
 * The MLflow REST API is answered by the front server's own door (server/http/mlflow-door.ts),
 * before Next.js's request handler; what it does not take goes to Next.js as before. Every other
 * test of this tier and the MLflow client tier talks to the API through it.
 */

const shared = inject("sharedServer");
const SECURITY_HEADERS = ["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy"];
// Next.js marks every reply it renders as varying by its router's headers.
const byNext = (response: Response) => (response.headers.get("vary") ?? "").includes("rsc");

describe("the MLflow door", () => {
  const client = () => mlflowClient(shared.base, shared.slug, shared.owner.token);
  const api = (path: string) => `${shared.base}/p/${shared.slug}/api/2.0/mlflow/${path}`;

  it("answers the API, refusals included, with the headers every reply gets, without Next.js", async () => {
    const auth = { authorization: `Bearer ${shared.owner.token}` };
    for (const [method, path, body, status] of [
      ["GET", "experiments/get?experiment_id=0", undefined, 200],
      ["POST", "runs/create", JSON.stringify({ experiment_id: "0" }), 200],
      ["POST", "runs/log-batch", "{not json", 400],
      ["GET", "no/such/endpoint", undefined, 404],
      ["PUT", "runs/create", undefined, 405],
    ] as const) {
      const response = await fetch(api(path), { method, headers: body ? { ...auth, "content-type": "application/json" } : auth, body });
      expect(response.status, `${method} ${path}`).toBe(status);
      // PUT is not a method of the route: Next.js answers it, as before.
      expect(byNext(response), `${method} ${path}`).toBe(method === "PUT");
      if (method === "PUT") continue;
      for (const name of SECURITY_HEADERS) expect(response.headers.get(name), `${method} ${path}: ${name}`).toBeTruthy();
      expect(response.headers.get("content-type"), `${method} ${path}`).toContain("application/json");
      await response.arrayBuffer();
    }
    const unauthenticated = await fetch(api("experiments/get?experiment_id=0"));
    expect(unauthenticated.status).toBe(401);
    expect(byNext(unauthenticated)).toBe(false);
  });

  it("leaves to Next.js the paths it would normalise, and what is not the API", async () => {
    // Next.js redirects them to the normalised path, as it always did.
    for (const path of ["experiments/get/", "experiments//get"]) {
      const response = await fetch(api(path), { redirect: "manual", headers: { authorization: `Bearer ${shared.owner.token}` } });
      expect(response.status, path).toBe(308);
      expect(response.headers.get("location"), path).toBe(`/p/${shared.slug}/api/2.0/mlflow/experiments/get`);
      await response.arrayBuffer();
    }
    const page = await fetch(`${shared.base}/signin`);
    expect(byNext(page)).toBe(true);
    await page.arrayBuffer();
  });

  it("streams a request body in and a long reply out", async () => {
    const runId = (await client().ok("runs/create", { experiment_id: "0" })).run.info.run_id as string;
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "loss", value: 1 / (i + 1), timestamp: 1_700_000_000_000 + i, step: i }));
    for (let batch = 0; batch < 20; batch++) {
      await client().ok("runs/log-batch", { run_id: runId, metrics: metrics.map((m) => ({ ...m, step: m.step + batch * 1000 })) });
    }
    const history = await client().read("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history.metrics).toHaveLength(20_000);
    expect(history.metrics.at(-1)).toMatchObject({ key: "loss", step: 19_999 });
  });
});
