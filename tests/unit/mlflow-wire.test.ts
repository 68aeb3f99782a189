import { describe, expect, it } from "vitest";
import { readJsonBody, toWire } from "../../server/mlflow/wire";

const post = (body: string) => new Request("http://cairn.test/", { method: "POST", body, headers: { "content-type": "application/json" } });

describe("readJsonBody", () => {
  it("renames every key to camelCase, inside arrays too, and keeps values as sent", async () => {
    const body = { run_id: "r", metrics: [{ key: "train_loss", value: 1.5, timestamp: 2, step: 3 }], some_future_field: { deeper_key: [null] } };
    expect(await readJsonBody(post(JSON.stringify(body)))).toEqual({
      runId: "r",
      metrics: [{ key: "train_loss", value: 1.5, timestamp: 2, step: 3 }],
      someFutureField: { deeperKey: [null] },
    });
  });

  it("names the field that holds a NUL character", async () => {
    const body = JSON.stringify({
      run_id: "r",
      tags: [
        { key: "k", value: "ok" },
        { key: "k2", value: "a\u0000b" },
      ],
    });
    await expect(readJsonBody(post(body))).rejects.toThrow("tags[1].value must not contain NUL characters");
  });

  it("never lets a __proto__ key change the object's prototype", async () => {
    const parsed = await readJsonBody(post('{"name": "x", "__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect((parsed as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("refuses JSON nested more than 32 levels deep", async () => {
    await expect(readJsonBody(post(`{"a":${"[".repeat(33)}${"]".repeat(33)}}`))).rejects.toThrow("nested more than 32 levels deep");
    await expect(readJsonBody(post(`{"a":${"[".repeat(31)}${"]".repeat(31)}}`))).resolves.toBeTruthy();
  });
});

describe("toWire", () => {
  it("spells keys in snake_case, drops null fields and writes non-finite numbers as protobuf does", () => {
    expect(toWire({ runId: "r", endTime: null, metrics: [{ value: Number.NaN }, { value: Number.NEGATIVE_INFINITY }] })).toEqual({
      run_id: "r",
      metrics: [{ value: "NaN" }, { value: "-Infinity" }],
    });
  });

  it("keeps a __proto__ key of a reply a plain field", () => {
    const wire = toWire(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(Object.keys(wire)).toEqual(["__proto__"]);
  });
});
