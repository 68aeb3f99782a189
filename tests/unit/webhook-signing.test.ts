import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NODE_VERIFY, PYTHON_VERIFY } from "../../components/webhooks/verification-snippets";
import { parseSignatureHeader, signWebhookBody, verifyWebhookSignature } from "../../server/services/webhooks/signing";

const secret = "whsec_test-secret";
const body = JSON.stringify({ event: "promotion.applied", project: "fraud", model: "scorer", version: "7" });
const now = 1_760_000_000;

describe("webhook signatures", () => {
  it("has the documented shape: t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    // Computed independently: printf '%s' "1760000000.{}" | openssl dgst -sha256 -hmac key
    expect(signWebhookBody("key", "{}", now)).toBe("t=1760000000,v1=5f2db4fbfe82c254ac32f1ccc5eff02389f2609d76031aa8b300fac9565df6f6");
    expect(parseSignatureHeader(signWebhookBody(secret, body, now))).toEqual({ timestamp: now, signatures: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
  });

  it("accepts a good signature, also with spaces and a second v1", () => {
    const header = signWebhookBody(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(true);
    const [t, v1] = header.split(",");
    expect(verifyWebhookSignature(secret, ` ${t}, v1=${"0".repeat(64)}, ${v1}`, body, 300, now + 10)).toBe(true);
  });

  it("refuses a tampered body", () => {
    const header = signWebhookBody(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body.replace('"7"', '"8"'), 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, `${body} `, 300, now)).toBe(false);
  });

  it("refuses the wrong secret", () => {
    expect(verifyWebhookSignature("whsec_other", signWebhookBody(secret, body, now), body, 300, now)).toBe(false);
  });

  it("refuses a timestamp outside the tolerance, old or in the future, and a timestamp changed to look fresh", () => {
    const header = signWebhookBody(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now - 301)).toBe(false);
    const refreshed = header.replace(`t=${now}`, `t=${now + 1000}`);
    expect(verifyWebhookSignature(secret, refreshed, body, 300, now + 1000)).toBe(false);
  });

  it("refuses missing and malformed headers", () => {
    for (const header of [null, undefined, "", "t=1760000000", `v1=${"a".repeat(64)}`, `t=abc,v1=${"a".repeat(64)}`, "t=1760000000,v1=xyz", "garbage"]) {
      expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(false);
    }
  });
});

describe("the verification samples shown to maintainers", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cairn-snippets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = () => signWebhookBody(secret, body);
  const stale = () => signWebhookBody(secret, body, Math.floor(Date.now() / 1000) - 3600);

  it("Node: accepts Cairn's signature and refuses tampering, another secret and replays", async () => {
    const file = path.join(dir, "verify.mjs");
    writeFileSync(file, NODE_VERIFY);
    const { verifyCairnSignature } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      verifyCairnSignature: (secret: string, header: string | undefined, rawBody: Buffer | string) => boolean;
    };
    expect(verifyCairnSignature(secret, fresh(), Buffer.from(body))).toBe(true);
    expect(verifyCairnSignature(secret, fresh(), body)).toBe(true);
    expect(verifyCairnSignature(secret, fresh(), Buffer.from(`${body} `))).toBe(false);
    expect(verifyCairnSignature("whsec_other", fresh(), Buffer.from(body))).toBe(false);
    expect(verifyCairnSignature(secret, stale(), Buffer.from(body))).toBe(false);
    expect(verifyCairnSignature(secret, undefined, Buffer.from(body))).toBe(false);
  });

  const python = spawnSync("python3", ["--version"]).status === 0;
  it.skipIf(!python)("Python: accepts Cairn's signature and refuses tampering, another secret and replays", () => {
    const cases = [
      [secret, fresh(), body, true],
      [secret, fresh(), `${body} `, false],
      ["whsec_other", fresh(), body, false],
      [secret, stale(), body, false],
      [secret, "", body, false],
    ] as const;
    const program = `${PYTHON_VERIFY}\nimport json, sys\ncases = json.load(sys.stdin)\nprint(json.dumps([verify_cairn_signature(s, h, b.encode()) for s, h, b in cases]))\n`;
    const result = spawnSync("python3", ["-c", program], { input: JSON.stringify(cases.map(([s, h, b]) => [s, h, b])), encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(cases.map((c) => c[3]));
  });
});
