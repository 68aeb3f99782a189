import { describe, expect, it } from "vitest";
import { asStoredJson, canonicalJson } from "../../server/services/audit-trail/canonical-json";
import { GENESIS_HASH, hashRecord, type AuditRecord } from "../../server/services/audit-trail/records";

describe("canonicalJson (RFC 8785)", () => {
  it("writes the RFC's example exactly (numbers, escapes, literals, member order)", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts members by UTF-16 code units, nested objects too", () => {
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ b: { z: 1, a: [{ y: 2, x: 1 }] }, a: null })).toBe('{"a":null,"b":{"a":[{"x":1,"y":2}],"z":1}}');
  });

  it("writes numbers as ECMAScript prints them: 1.0 is 1, -0 is 0", () => {
    expect(canonicalJson([1.0, -0, 1e21, 1e-7, 0.1 + 0.2, 2 ** 53 - 1, 5e-324])).toBe("[1,0,1e+21,1e-7,0.30000000000000004,9007199254740991,5e-324]");
  });

  it("refuses what is not JSON rather than hashing it ambiguously", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson(new Date(0))).toThrow(TypeError);
  });

  it("hashes what jsonb gives back, not how the value was written", () => {
    const written = { at: new Date("2026-01-02T03:04:05.678Z"), gone: undefined, n: Number.NaN };
    expect(asStoredJson(written)).toEqual({ at: "2026-01-02T03:04:05.678Z", n: null });
    expect(asStoredJson(undefined)).toBeNull();
  });
});

describe("hashRecord", () => {
  it("is SHA-256 hex of the canonical JSON, so any JCS implementation can recompute it", () => {
    const record: AuditRecord = {
      log: "audit",
      seq: 1,
      prevHash: GENESIS_HASH,
      createdAt: "2026-01-02T03:04:05.678Z",
      projectId: null,
      projectSlug: null,
      actorUserId: null,
      actorTokenId: null,
      actorLabel: "cli",
      action: "user.create",
      targetType: "user",
      targetId: "u1",
      before: null,
      after: { email: "ada@example.com" },
    };
    // Computed independently: printf '%s' '<canonical JSON>' | sha256sum
    expect(canonicalJson(record)).toBe(
      '{"action":"user.create","actorLabel":"cli","actorTokenId":null,"actorUserId":null,"after":{"email":"ada@example.com"},"before":null,"createdAt":"2026-01-02T03:04:05.678Z","log":"audit","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","projectId":null,"projectSlug":null,"seq":1,"targetId":"u1","targetType":"user"}',
    );
    expect(hashRecord(record)).toBe(HASH_OF_EXAMPLE);
  });
});

const HASH_OF_EXAMPLE = "ad351a614b05449b77c080f7d8ddbbcd1bc8dbc3b2f0f45f7e693bf544dedbc7";
