import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { applyForwardedHeaders, compileTrust } from "@/server/http/forwarded.js";
import { hasMalformedPath, malformedPathReply } from "@/server/http/malformed-url.js";

function request(peer: string, headers: Record<string, string>): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: { ...headers }, connection: { remoteAddress: peer } } as unknown as IncomingMessage;
}

describe("forwarded headers", () => {
  const loopback = compileTrust(["loopback"]);

  it("drops every forwarded header a client that is not a trusted proxy sends", () => {
    const req = request("203.0.113.9", {
      "x-forwarded-for": "198.51.100.1",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-real-ip": "198.51.100.2",
      forwarded: "for=198.51.100.3",
      host: "cairn.example.com",
    });
    applyForwardedHeaders(req, loopback);
    expect(req.headers).toEqual({ host: "cairn.example.com" });
  });

  it("takes the client from a trusted proxy, walking back only through trusted hops", () => {
    // The client wrote the first entry itself; the proxy appended the address it saw.
    const req = request("127.0.0.1", {
      "x-forwarded-for": "198.51.100.1, 203.0.113.7",
      "x-forwarded-host": "cairn.test:8443, other",
      "x-forwarded-proto": "https",
    });
    applyForwardedHeaders(req, loopback);
    expect(req.headers["x-forwarded-for"]).toBe("203.0.113.7");
    expect(req.headers["x-forwarded-host"]).toBe("cairn.test:8443");
    expect(req.headers["x-forwarded-proto"]).toBe("https");
  });

  it("walks through every configured proxy", () => {
    const trust = compileTrust(["loopback", "10.0.0.0/8"]);
    const req = request("127.0.0.1", { "x-forwarded-for": "198.51.100.1, 203.0.113.7, 10.1.2.3" });
    applyForwardedHeaders(req, trust);
    expect(req.headers["x-forwarded-for"]).toBe("203.0.113.7");
  });

  it("keeps only http or https as the protocol", () => {
    const req = request("::1", { "x-forwarded-proto": "javascript" });
    applyForwardedHeaders(req, loopback);
    expect(req.headers["x-forwarded-proto"]).toBeUndefined();
    expect(req.headers["x-forwarded-for"]).toBe("::1");
  });

  it("refuses a trust list it cannot read", () => {
    expect(() => compileTrust(["not-an-address"])).toThrow();
  });
});

describe("malformed paths", () => {
  it.each([
    "/p/demo/api/2.0/mlflow/logged-models/%FF%FE",
    "/p/demo/api/2.0/mlflow-artifacts/artifacts/0/x/%C0%AE%C0%AE/y.txt",
    "/api/trpc/run.get%C0",
    "/%E0%A4%A",
  ])("finds %s malformed", (url) => expect(hasMalformedPath(url)).toBe(true));

  it.each(["/p/demo/api/2.0/mlflow/runs/get?run_id=%FF", "/p/demo/runs/%C3%A9t%C3%A9", "/a%20b"])("lets %s through", (url) => {
    expect(hasMalformedPath(url)).toBe(false);
  });

  it("answers in MLflow's shape under a project's API, JSON under /api/, text elsewhere", () => {
    expect(JSON.parse(malformedPathReply("/p/demo/api/2.0/mlflow/x%FF").body)).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(malformedPathReply("/api/trpc/x%FF").contentType).toBe("application/json");
    expect(malformedPathReply("/p/demo/runs/%FF").contentType).toMatch(/^text\/plain/);
  });
});
